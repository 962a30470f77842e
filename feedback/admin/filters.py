"""List filters of the officials' report desk."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
)
from django.utils.translation import gettext_lazy

from feedback.models import (
    Report,
)

DUE_SOON_DAYS = 2


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("hạn xử lý")
    parameter_name = "han"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("qua-han", gettext_lazy("Quá hạn")),
            ("sap-den-han", gettext_lazy("Đến hạn trong 2 ngày")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() == "qua-han":
            return queryset.filter(pk__in=Report.objects.overdue().values("pk"))
        if self.value() == "sap-den-han":
            return queryset.filter(
                pk__in=Report.objects.due_soon(days=DUE_SOON_DAYS).values("pk")
            )
        return queryset
