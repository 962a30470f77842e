"""List filters of the officials' report desk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from feedback.models import due_soon_q, overdue_q


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("hạn xử lý")
    parameter_name = "han"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        days = settings.DEADLINE_WARNING_WORKING_DAYS
        return [
            ("qua-han", gettext_lazy("Quá hạn")),
            (
                "sap-den-han",
                ngettext(
                    "Đến hạn trong %(n)d ngày làm việc",
                    "Đến hạn trong %(n)d ngày làm việc",
                    days,
                )
                % {"n": days},
            ),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() == "qua-han":
            return queryset.filter(overdue_q())
        if self.value() == "sap-den-han":
            return queryset.filter(due_soon_q())
        return queryset
