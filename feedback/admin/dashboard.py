"""The admin index for officials: the queues that need action, per role.

Each queue is a count and a link to the report list filtered the same way
(feedback/admin/filters.py), so the number and the list always agree. Overdue
and due soon are ``Report.objects.overdue()`` / ``.due_soon()``, never re-derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from feedback.admin.filters import not_satisfied, reopened
from feedback.models import Agency, Report, ReviewRequest, Status
from feedback.permissions import is_intake, official_agency_id


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class AgencyOverdue:
    name: str
    count: int
    url: str


def _list_url(query: str) -> str:
    return f"{reverse('admin:feedback_report_changelist')}?{query}"


def dashboard_for(user: Any) -> dict[str, Any] | None:
    """The queues this official works, or None for staff without reports."""
    intake = bool(user.is_superuser or is_intake(user))
    agency_id = official_agency_id(user)
    if not intake and agency_id is None:
        return None
    visible = Report.objects.visible_to(user)
    by_status = visible.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
    )
    queues: list[Queue] = []
    if intake:
        queues += [
            Queue(_("Chờ tiếp nhận"), by_status["new"], _list_url("status__exact=new")),
            Queue(
                _("Đã tiếp nhận, chờ chuyển xử lý"),
                by_status["accepted"],
                _list_url("status__exact=accepted"),
            ),
        ]
    queues += [
        Queue(
            _("Đang xử lý"),
            by_status["in_progress"],
            _list_url("status__exact=in_progress"),
        ),
        Queue(
            _("Đến hạn trong %(n)d ngày làm việc")
            % {"n": settings.DEADLINE_WARNING_WORKING_DAYS},
            visible.due_soon().count(),
            _list_url("han=sap-den-han"),
        ),
        Queue(
            _("Quá hạn"),
            visible.overdue().count(),
            _list_url("han=qua-han"),
            urgent=True,
        ),
        Queue(_("Đã mở lại"), reopened(visible).count(), _list_url("hang-doi=mo-lai")),
        Queue(
            _("Người gửi chưa hài lòng"),
            not_satisfied(visible).count(),
            _list_url("hang-doi=chua-hai-long"),
        ),
    ]
    if intake:
        queues.append(
            Queue(
                _("Xem xét lại lần 2: chờ bộ phận tiếp nhận"),
                visible.filter(
                    pk__in=ReviewRequest.objects.filter(
                        routed_to=ReviewRequest.RoutedTo.INTAKE, handled_at__isnull=True
                    ).values("report_id")
                ).count(),
                _list_url("danh-gia=cho-tiep-nhan"),
                urgent=True,
            )
        )
    agencies = Agency.objects.filter(is_active=True)
    if not intake and agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    overdue_ids = Report.objects.overdue().values("pk")
    counted = agencies.annotate(
        overdue=Count("reports", filter=Q(reports__pk__in=overdue_ids))
    ).order_by("-overdue", "name")
    per_agency = [
        AgencyOverdue(
            agency.name,
            agency.overdue,
            _list_url(
                f"han=qua-han&agency__id__exact={agency.pk}"
                if intake
                else "han=qua-han"
            ),
        )
        for agency in counted
    ]
    return {
        "role": _("Cán bộ tiếp nhận") if intake else _("Cán bộ xử lý"),
        "queues": queues,
        "per_agency": per_agency,
    }
