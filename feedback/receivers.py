"""feedback's part in a person's data rights (see accounts.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import (
    personal_data_erased,
    personal_data_requested,
    retention_due,
)
from feedback import retention, services


@receiver(personal_data_requested, dispatch_uid="feedback.export_reports")
def export_reports(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    return {"reports": services.export_reports(user=user)}


@receiver(personal_data_erased, dispatch_uid="feedback.anonymise_reports")
def anonymise_reports(sender: Any, user: Any, **kwargs: Any) -> None:
    services.anonymise_reports(user=user)


@receiver(retention_due, dispatch_uid="feedback.erase_expired_reports")
def erase_expired_reports(sender: Any, cutoff: Any, **kwargs: Any) -> int:
    return retention.erase_closed_before(cutoff)


@receiver(personal_data_erased, dispatch_uid="feedback.erase_subscriptions")
def erase_subscriptions(sender: Any, user: Any, **kwargs: Any) -> None:
    """Follows and area alerts under the account's address go with it."""
    from feedback.models import AreaAlert, Follow

    if user.email:
        Follow.objects.filter(email__iexact=user.email).delete()
        AreaAlert.objects.filter(email__iexact=user.email).delete()
