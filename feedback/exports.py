"""The report list as CSV (UTF-8 with BOM, for Excel) or XLSX, Vietnamese headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.conversation import reason_labels
from feedback.models import Report
from feedback.selectors import rating_of
from feedback.workflow import record_export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return str(value.strftime("%d/%m/%Y"))


def _rating_verdict(report: Report) -> str:
    rating = rating_of(report)
    if rating is None:
        return ""
    return str(_("Hài lòng") if rating.satisfied else _("Chưa hài lòng"))


def columns(personal: bool) -> list[tuple[str, Any]]:
    """(header, value getter) pairs; personal data only for roles allowed it."""
    cols: list[tuple[str, Any]] = [
        (_("Mã phản ánh"), lambda r: r.code),
        (_("Tiêu đề"), lambda r: r.title),
        (_("Lĩnh vực"), lambda r: r.category.name if r.category else ""),
        (_("Cơ quan xử lý"), lambda r: r.agency.name if r.agency else ""),
        (_("Trạng thái"), lambda r: r.get_status_display()),
        (_("Ngày gửi"), lambda r: _date(r.created_at)),
        (_("Ngày tiếp nhận"), lambda r: _date(r.accepted_at)),
        (_("Hạn xử lý"), lambda r: _date(r.deadline)),
        (_("Quá hạn"), lambda r: _("Có") if r.is_overdue() else _("Không")),
        (_("Ngày trả lời"), lambda r: _date(r.resolved_at)),
        (_("Vị trí"), lambda r: r.location),
        (_("Đã công khai"), lambda r: _("Có") if r.is_published else _("Không")),
        (_("Đánh giá"), _rating_verdict),
        (
            _("Lý do chưa hài lòng"),
            lambda r: (
                "; ".join(reason_labels(rating.reasons))
                if (rating := rating_of(r))
                else ""
            ),
        ),
        (
            _("Góp ý của người gửi"),
            lambda r: rating.comment if (rating := rating_of(r)) else "",
        ),
        (_("Số lần xem xét lại"), lambda r: getattr(r, "review_count", 0)),
    ]
    if personal:
        cols += [
            (_("Họ và tên"), lambda r: r.full_name),
            (_("CMND/CCCD"), lambda r: r.id_number),
            (_("Số điện thoại"), lambda r: r.phone),
            (_("Email"), lambda r: r.email),
        ]
    return cols


def _safe(value: Any) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(
    queryset: QuerySet[Report], cols: list[tuple[str, Any]], ids: list[int]
) -> Iterator[list[str]]:
    for report in queryset.iterator(chunk_size=1000):
        ids.append(report.pk)
        yield [_safe(getter(report)) for _header, getter in cols]


def export_reports(
    queryset: QuerySet[Report], *, fmt: str, personal: bool, by: Any
) -> HttpResponse:
    """Build the file and record the export on each report it contains."""
    cols = columns(personal)
    queryset = queryset.select_related("rating").annotate(
        review_count=Count("review_requests", distinct=True)
    )
    headers = [str(header) for header, _getter in cols]
    ids: list[int] = []
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # BOM: Excel reads the file as UTF-8
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(_rows(queryset, cols, ids))
        content: bytes = buffer.getvalue().encode("utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Phản ánh"))
        sheet.append(headers)
        for row in _rows(queryset, cols, ids):
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    record_export(report_ids=ids, by=by, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="phan-anh-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
