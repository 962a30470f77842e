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
    Status,
    StatusChange,
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


def reopened(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Open again after an answer: in progress, and once moved back from resolved."""
    back = StatusChange.objects.filter(
        from_status=Status.RESOLVED, to_status=Status.IN_PROGRESS
    ).values("report_id")
    return queryset.filter(status=Status.IN_PROGRESS, pk__in=back)


def not_satisfied(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Answered, and the reporter said they are not satisfied: to review."""
    return queryset.filter(status=Status.RESOLVED, rating__satisfied=False)


class QueueFilter(admin.SimpleListFilter):
    title = gettext_lazy("cần xem lại")
    parameter_name = "hang-doi"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("mo-lai", gettext_lazy("Đã mở lại")),
            ("chua-hai-long", gettext_lazy("Người gửi chưa hài lòng")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() == "mo-lai":
            return reopened(queryset)
        if self.value() == "chua-hai-long":
            return not_satisfied(queryset)
        return queryset
