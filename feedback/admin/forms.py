"""Forms of the officials' report desk: the list's action bar, workflow moves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.utils.translation import gettext_lazy

from feedback.forms import MultipleFileField
from feedback.models import (
    Agency,
    Report,
    Status,
)
from portal.lib import uploads


class ReportActionForm(helpers.ActionForm):
    """The list's action bar: the agency to route to and a reason or note."""

    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True),
        required=False,
        label=gettext_lazy("Cơ quan xử lý"),
        empty_label=gettext_lazy("— chọn cơ quan —"),
    )
    note = forms.CharField(
        required=False,
        label=gettext_lazy("Ghi chú / lý do"),
        max_length=1000,
    )


class WorkflowForm(forms.Form):
    """One workflow move (or publish toggle) posted from the change page."""

    action = forms.ChoiceField(
        choices=[(value, value) for value in Status.values]
        + [("publish", "publish"), ("unpublish", "unpublish")]
    )
    expected = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=4000)
    answer = forms.CharField(required=False, max_length=20000)
    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True), required=False
    )
    answer_files = MultipleFileField(required=False)
    publish = forms.BooleanField(required=False)  # with an answer: publish it too
    # With "rejected": the earlier report this one duplicates (the desk's list).
    duplicate_of = forms.ModelChoiceField(Report.objects.all(), required=False)

    def clean_answer_files(self) -> Any:
        files = self.cleaned_data.get("answer_files") or []
        try:
            return uploads.check_files(list(files))
        except uploads.UploadRejected as error:
            raise forms.ValidationError(error.message) from None
