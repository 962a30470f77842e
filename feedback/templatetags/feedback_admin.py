"""The officials' dashboard on the admin index (feedback/admin/dashboard.py)."""

from __future__ import annotations

from typing import Any

from django import template

from feedback.admin.dashboard import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/feedback/dashboard.html")
def officials_dashboard(user: Any) -> dict[str, Any]:
    return {"dashboard": dashboard_for(user)}
