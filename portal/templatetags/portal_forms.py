"""Form rendering shared by every page: the error summary and the client checks.

The summary follows the GOV.UK error-summary pattern: a heading, each error as a
link to its field, focus moved to it (static/js/forms.js). The client checks give
the server's own messages before anything is sent; the server checks them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    message: str
    target: str  # the id of the element the link moves focus to; "" for none


def _target(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # The first option: a group's own id names no focusable element.
        return f"{bound.auto_id}_0" if bound.auto_id else ""
    return str(bound.id_for_label or "")


@register.simple_tag
def error_summary_items(form: forms.BaseForm) -> list[SummaryItem]:
    """The form's errors in page order, non-field errors first."""
    items = [SummaryItem(str(error), "") for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            items.append(SummaryItem(str(error), _target(bound)))
    return items


@register.simple_tag
def client_checks(form: forms.BaseForm) -> str:
    """Give each required field the server's own "required" message to show."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget) and bound.id_for_label:
            # Crispy does not render the captcha: its answer box points to the
            # error and help texts that includes/captcha_field.html writes.
            ids = [f"{bound.id_for_label}_error"] if bound.errors else []
            ids.append(f"{bound.id_for_label}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)
    for name, field in form.fields.items():
        if not field.required or isinstance(field.widget, forms.HiddenInput):
            continue
        if isinstance(field.widget, forms.MultiWidget):
            continue  # the captcha: its answer is checked by the server alone
        message = field.error_messages.get("required")
        if message:
            field.widget.attrs.setdefault("data-msg-required", str(message))
            field.widget.attrs.setdefault("data-label", str(field.label or name))
    return ""


@register.simple_tag
def summary_id(form: forms.BaseForm) -> str:
    """An id for the form's error summary, unique among a page's forms (a report
    page carries the rating, follow and update forms at once)."""
    name = type(form).__name__.lower().removesuffix("form")
    prefix = f"-{form.prefix}" if form.prefix else ""
    return f"error-summary-{name}{prefix}"
