"""Reads about ratings and the conversation, shared by admin, exports and stats."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Count, F, Q

from feedback.models import Rating, Report


class Satisfaction(TypedDict):
    id: int | None
    name: str
    rated: int
    satisfied: int
    not_satisfied: int
    rate: float | None  # percent satisfied of rated, None when nothing was rated


def rating_of(report: Report) -> Rating | None:
    """The report's rating, or None (uses what select_related loaded)."""
    try:
        return report.rating
    except Report.rating.RelatedObjectDoesNotExist:
        return None


def _satisfaction(group: str, name: str) -> list[Satisfaction]:
    rows = (
        Rating.objects.values(group_id=F(f"report__{group}_id"), name=F(name))
        .annotate(
            rated=Count("pk"),
            satisfied=Count("pk", filter=Q(satisfied=True)),
        )
        .order_by("name")
    )
    result: list[Satisfaction] = []
    for row in rows:
        rated = row["rated"]
        result.append(
            {
                "id": row["group_id"],
                "name": row["name"] or "",
                "rated": rated,
                "satisfied": row["satisfied"],
                "not_satisfied": rated - row["satisfied"],
                "rate": round(100 * row["satisfied"] / rated, 1) if rated else None,
            }
        )
    return result


def satisfaction_by_agency() -> list[Satisfaction]:
    """Ratings of answered reports per agency: the satisfaction rate (one query)."""
    return _satisfaction("agency", "report__agency__name")


def satisfaction_by_category() -> list[Satisfaction]:
    """Ratings per category (one query)."""
    return _satisfaction("category", "report__category__name")


def follower_counts(report_ids: list[int]) -> dict[int, Any]:
    from feedback.models import Follow

    rows = (
        Follow.objects.filter(
            report_id__in=report_ids,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
        )
        .values("report_id")
        .annotate(n=Count("pk"))
    )
    return {row["report_id"]: row["n"] for row in rows}
