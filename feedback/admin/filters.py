"""List filters of the officials' report desk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from feedback.models import (
    ReviewRequest,
    Status,
    StatusChange,
    due_soon_q,
    overdue_q,
)


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


class RatingFilter(admin.SimpleListFilter):
    """The reporter's rating of the answer; "chưa hài lòng" first."""

    title = gettext_lazy("đánh giá của người gửi")
    parameter_name = "danh-gia"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("chua-hai-long", gettext_lazy("Chưa hài lòng")),
            ("hai-long", gettext_lazy("Hài lòng")),
            ("xem-xet-lai", gettext_lazy("Có yêu cầu xem xét lại")),
            ("cho-tiep-nhan", gettext_lazy("Xem xét lại lần 2: chờ bộ phận tiếp nhận")),
            ("chua-danh-gia", gettext_lazy("Đã trả lời, chưa đánh giá")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value == "chua-hai-long":
            return queryset.filter(rating__satisfied=False)
        if value == "hai-long":
            return queryset.filter(rating__satisfied=True)
        if value == "xem-xet-lai":
            return queryset.filter(pk__in=ReviewRequest.objects.values("report_id"))
        if value == "cho-tiep-nhan":
            return queryset.filter(
                pk__in=ReviewRequest.objects.filter(
                    routed_to=ReviewRequest.RoutedTo.INTAKE, handled_at__isnull=True
                ).values("report_id")
            )
        if value == "chua-danh-gia":
            return queryset.filter(status="resolved", rating__isnull=True)
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
