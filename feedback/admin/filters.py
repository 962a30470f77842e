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
    ReviewRequest,
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
