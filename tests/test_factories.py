"""The report factory builds only states the workflow itself can reach."""

from __future__ import annotations

import pytest

from feedback.models import Report, ReportEvent, Status
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_published_report_went_through_every_step_of_the_workflow() -> None:
    report = ReportFactory(published=True)
    steps = list(report.changes.values_list("from_status", "to_status"))
    assert steps == [
        ("", Status.NEW),
        (Status.NEW, Status.ACCEPTED),
        (Status.ACCEPTED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESOLVED),
    ]
    assert report.accepted_at and report.resolved_at and report.agency_id
    assert report.deadline is not None
    assert ReportEvent.objects.filter(
        report=report, kind=ReportEvent.Kind.PUBLISHED
    ).exists()
    assert Report.objects.published().get() == report


def test_rejected_report_carries_its_reason() -> None:
    report = ReportFactory(status=Status.REJECTED, rejection_reason="Trùng lặp.")
    assert report.rejection_reason == "Trùng lặp."
    assert report.changes.last().to_status == Status.REJECTED  # type: ignore[union-attr]


def test_a_report_without_consent_cannot_be_built_published() -> None:
    with pytest.raises(ValueError, match="consent"):
        ReportFactory(published=True, allow_publish=False)
    assert not Report.objects.exists()
