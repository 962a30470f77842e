"""Officials' groups and their permissions, kept in sync after every migrate.

Permissions only exist once ``post_migrate`` has created them, and the editor's
models live in the ``stats`` app (built separately): so the data migration only
creates the groups, and ``sync_roles`` (connected to ``post_migrate`` in
FeedbackConfig.ready, also run by ``manage.py sync_roles``) grants what each group
should have, by app label at run time. It is idempotent and only ever adds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from feedback.permissions import EDITOR_GROUP, INTAKE_GROUP, OFFICIAL_GROUP

# (app_label, codename) pairs per group. Codenames starting with "*_" mean every
# model of that app with that action (e.g. all of stats' view/add/change/delete).
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    INTAKE_GROUP: [
        ("feedback", "view_report"),
        ("feedback", "change_report"),
        ("feedback", "triage_report"),
        ("feedback", "view_personal_data"),
        ("feedback", "export_report"),
        ("feedback", "view_attachment"),
        ("feedback", "view_statuschange"),
        ("feedback", "view_reportevent"),
        ("feedback", "view_category"),
        ("feedback", "view_agency"),
        ("feedback", "change_attachment"),
        ("feedback", "view_replytemplate"),
        ("feedback", "add_replytemplate"),
        ("feedback", "change_replytemplate"),
        ("feedback", "delete_replytemplate"),
        ("feedback", "view_internalnote"),
        ("feedback", "add_internalnote"),
    ],
    OFFICIAL_GROUP: [
        ("feedback", "view_report"),
        ("feedback", "change_report"),
        ("feedback", "process_report"),
        ("feedback", "view_personal_data"),
        ("feedback", "export_report"),
        ("feedback", "view_attachment"),
        ("feedback", "add_attachment"),
        ("feedback", "view_statuschange"),
        ("feedback", "view_reportevent"),
        ("feedback", "change_attachment"),
        ("feedback", "view_replytemplate"),
        ("feedback", "view_internalnote"),
        ("feedback", "add_internalnote"),
    ],
    EDITOR_GROUP: [
        ("stats", "*_view"),
        ("stats", "*_add"),
        ("stats", "*_change"),
        ("stats", "*_delete"),
    ],
}


def sync_roles(**kwargs: Any) -> None:
    """Create the groups if missing and grant any permission they lack."""
    app_config = kwargs.get("app_config")
    if app_config is not None and app_config.label not in ("feedback", "stats"):
        return
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        query = Q(pk__in=[])
        for app_label, codename in wanted:
            if codename.startswith("*_"):
                action = codename[2:]
                query |= Q(
                    content_type__app_label=app_label,
                    codename__startswith=f"{action}_",
                )
            else:
                query |= Q(content_type__app_label=app_label, codename=codename)
        have = set(group.permissions.values_list("pk", flat=True))
        missing = Permission.objects.filter(query).exclude(pk__in=have)
        group.permissions.add(*missing)
