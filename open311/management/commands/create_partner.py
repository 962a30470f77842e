"""manage.py create_partner NAME: a new Open311 partner and its API key.

The key is printed alone on the last line so that a script can take it
(``tail -n 1``); it is shown only now, as only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from open311.models import Partner


class Command(BaseCommand):
    help = "Create an Open311 partner and print its API key on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--channel",
            default="partner",
            choices=[value for value, _label in Partner.CHANNELS],
        )
        parser.add_argument(
            "--rate-limit", type=int, default=120, help="Requests an hour (0: none)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("NAME must not be empty.")
        if options["rate_limit"] < 0:
            raise CommandError("--rate-limit must be 0 or more.")
        if Partner.objects.filter(name=name).exists():
            raise CommandError(f"A partner named {name!r} exists already.")
        with transaction.atomic():
            partner = Partner(
                name=name, channel=options["channel"], rate_limit=options["rate_limit"]
            )
            raw = partner.issue_key()
            partner.save()
        self.stdout.write(
            f"Partner {partner.name!r} (channel {partner.channel}, "
            f"{partner.rate_limit} requests an hour). API key, shown only now:"
        )
        self.stdout.write(raw)
