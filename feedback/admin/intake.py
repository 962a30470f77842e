"""One-step intake from the report page: accept and route, or reject with a reason.

The moves go through feedback/workflow.py (``move_report``), whose table says
whether this official may make them; this module only
chains accept -> route in one transaction and finds the next report to open.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import Agency, Report, Status, TransitionError
from feedback.routing import suggest_agency
from feedback.workflow import allowed_moves, move_report

ACCEPT_AND_ROUTE = "accept_route"
REJECT = "reject"

# Reasons an intake officer picks from; the text goes to the reporter.
REJECT_REASONS: list[tuple[str, Any]] = [
    ("spam", gettext_lazy("Tin rác hoặc quảng cáo.")),
    ("duplicate", gettext_lazy("Trùng với phản ánh đã gửi trước đó.")),
    (
        "scope",
        gettext_lazy(
            "Nội dung không thuộc phạm vi tiếp nhận của hệ thống phản ánh hiện trường."
        ),
    ),
    (
        "information",
        gettext_lazy(
            "Chưa đủ thông tin để xác minh (vị trí, nội dung hoặc hình ảnh). "
            "Ông/Bà vui lòng gửi lại phản ánh với thông tin đầy đủ hơn."
        ),
    ),
]


def suggested_agency(report: Report) -> Agency | None:
    """The agency the routing rules pick for this report, if any.

    The one place the intake form asks for a suggestion (the routing rules of
    feedback/routing.py); else the agency already set, if any.
    """
    return suggest_agency(report) or report.agency


class IntakeForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Quyết định"),
        choices=[
            (ACCEPT_AND_ROUTE, gettext_lazy("Tiếp nhận và chuyển xử lý")),
            (REJECT, gettext_lazy("Không tiếp nhận")),
        ],
        widget=forms.RadioSelect,
        initial=ACCEPT_AND_ROUTE,
        error_messages={"required": gettext_lazy("Hãy chọn tiếp nhận hoặc không.")},
    )
    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True),
        label=gettext_lazy("Cơ quan xử lý"),
        required=False,
        empty_label=gettext_lazy("— chọn cơ quan —"),
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Lý do không tiếp nhận"),
        choices=[("", gettext_lazy("— chọn lý do —")), *REJECT_REASONS],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú thêm (không bắt buộc; gửi kèm lý do)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if decision == ACCEPT_AND_ROUTE and cleaned.get("agency") is None:
            self.add_error("agency", _("Cần chọn cơ quan xử lý để chuyển phản ánh."))
        if decision == REJECT and not cleaned.get("reason"):
            self.add_error("reason", _("Cần chọn lý do không tiếp nhận."))
        return cleaned

    def rejection_text(self) -> str:
        reasons = dict(REJECT_REASONS)
        text = str(reasons[self.cleaned_data["reason"]])
        extra = self.cleaned_data.get("note", "").strip()
        return f"{text} {extra}".strip()


def can_intake(user: Any, report: Report) -> bool:
    """Whether this official may decide on this new report here."""
    targets = {move.target for move in allowed_moves(user, report)}
    return report.status == Status.NEW and bool(
        targets & {Status.ACCEPTED, Status.REJECTED}
    )


def intake_form_for(report: Report) -> IntakeForm:
    agency = suggested_agency(report)
    return IntakeForm(
        initial={
            "decision": ACCEPT_AND_ROUTE,
            "agency": agency.pk if agency else None,
            "expected": report.status,
        }
    )


@transaction.atomic
def decide(*, report: Report, form: IntakeForm, by: Any) -> None:
    """Apply the decision; all or nothing (a refused route undoes the accept)."""
    data = form.cleaned_data
    if data["decision"] == REJECT:
        move_report(
            report=report,
            to=Status.REJECTED,
            by=by,
            expected=data["expected"],
            note=form.rejection_text(),
        )
        return
    move_report(
        report=report,
        to=Status.ACCEPTED,
        by=by,
        expected=data["expected"],
        note=data.get("note", ""),
    )
    move_report(
        report=report,
        to=Status.IN_PROGRESS,
        by=by,
        expected=Status.ACCEPTED,
        agency=data["agency"],
    )


def next_in_queue(queryset: Any, after: Report) -> Report | None:
    """The next report waiting for intake, in the desk's list order."""
    found: Report | None = (
        queryset.filter(status=Status.NEW).exclude(pk=after.pk).first()
    )
    return found


def intake_view(model_admin: Any, request: HttpRequest, object_id: str) -> HttpResponse:
    report: Report = model_admin._visible_object(request, object_id)
    if not can_intake(request.user, report):
        raise PermissionDenied
    change_url = reverse("admin:feedback_report_change", args=[report.pk])
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _show_again(model_admin, request, object_id, form)
    try:
        decide(report=report, form=form, by=request.user)
    except TransitionError as error:
        form.add_error(None, error.message)
        return _show_again(model_admin, request, object_id, form)
    report.refresh_from_db()
    model_admin.message_user(
        request,
        _("Đã chuyển phản ánh %(code)s sang “%(status)s”.")
        % {"code": report.code, "status": report.get_status_display()},
        messages.SUCCESS,
    )
    if "_next" in request.POST:
        queue = model_admin.get_queryset(request).order_by(
            *model_admin.get_ordering(request)
        )
        following = next_in_queue(queue, report)
        if following is None:
            model_admin.message_user(
                request, _("Không còn phản ánh nào chờ tiếp nhận."), messages.INFO
            )
            return HttpResponseRedirect(
                reverse("admin:feedback_report_changelist") + "?status__exact=new"
            )
        return HttpResponseRedirect(
            reverse("admin:feedback_report_change", args=[following.pk])
        )
    return HttpResponseRedirect(change_url)


def _show_again(
    model_admin: Any, request: HttpRequest, object_id: str, form: IntakeForm
) -> HttpResponse:
    """The report page again, the intake form with its errors and what was chosen."""
    request.method = "GET"
    request.POST = QueryDict()
    return model_admin.change_view(
        request, object_id, extra_context={"intake_form": form}
    )
