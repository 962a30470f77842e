"""Public views about places: nearby reports (JSON) and the public map."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from feedback.models import Category
from feedback.nearby import MAX_RADIUS_M, public_nearby


class NearbyQueryForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    long = forms.FloatField(min_value=-180, max_value=180)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    radius = forms.IntegerField(min_value=1, max_value=MAX_RADIUS_M, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lat"].error_messages = {
            "required": _("Thiếu vĩ độ (lat)."),
            "invalid": _("Vĩ độ (lat) phải là số."),
        }
        self.fields["long"].error_messages = {
            "required": _("Thiếu kinh độ (long)."),
            "invalid": _("Kinh độ (long) phải là số."),
        }


def _errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Public reports near lat/long: code, title, status, distance, link only."""
    form = NearbyQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": _errors(form)}, status=400)
    data = form.cleaned_data
    category = data.get("category")
    found = public_nearby(
        lat=data["lat"],
        long=data["long"],
        radius_m=data.get("radius") or settings.NEARBY_RADIUS_M,
        category_id=category.pk if category else None,
    )
    reports = [
        {
            "code": item.report.code,
            "title": item.report.title,
            "status": item.report.status,
            "status_label": str(item.report.get_status_display()),
            "distance_m": round(item.distance_m),
            "url": reverse("feedback:detail", kwargs={"code": item.report.code}),
        }
        for item in found
    ]
    return JsonResponse({"reports": reports})
