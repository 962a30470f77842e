"""seed_bulk, the stats day summary, the cached list count and the bench switch."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from feedback.models import Report, Status, StatusChange, search_key
from places.geo import in_province
from places.loading import load_default_units
from places.models import AdministrativeUnit
from stats.selectors import Filters, compute_figures
from tests.factories import CategoryFactory, ReportFactory
from tests.stats.scan_figures import compute_figures_scan


def _same(filters: Filters) -> bool:
    """The summary's figures equal the scan's, on every figure the scan has."""
    summary, scan = compute_figures(filters), compute_figures_scan(filters)
    return {key: summary[key] for key in scan} == scan


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_bulk_fills_consistent_reports_or_refuses_sqlite() -> None:
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="chỉ chạy trên PostgreSQL"):
            call_command("seed_bulk", "--reports", "10", stdout=StringIO())
        assert not Report.objects.exists()
        return
    load_default_units()  # as seed_demo does: the reports get their communes
    progress = StringIO()
    call_command(
        "seed_bulk",
        "--reports",
        "300",
        "--seed",
        "7",
        stdout=StringIO(),
        stderr=progress,
    )
    assert "300/300 phản ánh" in progress.getvalue()
    reports = list(Report.objects.all())
    assert len(reports) == 300
    assert len({r.code for r in reports}) == 300
    for report in reports:
        assert report.search_text == search_key(f"{report.title}\n{report.content}")
        # A pin inside the province, as the nearby search and the map need.
        assert report.latitude is not None and report.longitude is not None
        assert in_province(report.latitude, report.longitude)
        history = list(report.changes.order_by("created_at", "pk"))
        # The history is a walk through the workflow that ends at the status.
        assert history[0].from_status == "" and history[0].to_status == Status.NEW
        assert history[-1].to_status == report.status
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
        if report.status == Status.RESOLVED:
            assert report.answer and report.resolved_at is not None
        if report.status != Status.REJECTED:  # intake, then processing deadline
            assert report.deadline is not None and report.deadline > report.created_at
    assert StatusChange.objects.count() > 300
    # The triggers followed the COPY: the figures equal a scan of the reports.
    assert _same(Filters())
    assert compute_figures(Filters())["total"] == 300
    commune = AdministrativeUnit.objects.filter(reports__isnull=False).first()
    assert commune is not None
    assert _same(Filters(commune=commune))
    assert len(compute_figures(Filters())["by_commune"]) > 1


@pytest.mark.django_db
def test_day_summary_follows_saves_without_a_rebuild() -> None:
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    ReportFactory.create_batch(3, category=roads)
    assert compute_figures(Filters())["total"] == 3
    moved = ReportFactory(category=roads, status=Status.IN_PROGRESS)
    ReportFactory(status=Status.REJECTED)
    for filters in (Filters(), Filters(category=roads)):
        assert _same(filters)
    figures = compute_figures(Filters())
    assert figures["total"] == 5
    assert figures["by_status"][Status.IN_PROGRESS] == 1
    moved.answer = "Đã sửa xong."
    moved.transition(Status.RESOLVED, by=None)
    figures = compute_figures(Filters())
    assert figures["by_status"][Status.IN_PROGRESS] == 0
    assert figures["by_status"][Status.RESOLVED] == 1
    moved.delete()
    assert compute_figures(Filters())["total"] == 4


@pytest.mark.django_db
def test_public_list_count_is_cached_per_filter(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        report = ReportFactory(
            status=Status.RESOLVED, allow_publish=True, title=f"Đèn đường hỏng {n}"
        )
        Report.objects.filter(pk=report.pk).update(is_published=True)
    first = client.get("/phan-anh/")
    assert "3 phản ánh" in first.content.decode()
    # Warm: the categories and communes of the filter and the page's rows, no
    # COUNT(*).
    with django_assert_max_num_queries(3) as warm:
        client.get("/phan-anh/")
    assert not any("COUNT(" in q["sql"] for q in warm.captured_queries)
    # Another filter has its own count.
    searched = client.get("/phan-anh/?q=khong+co+dau")
    assert "0 phản ánh" in searched.content.decode()


def test_captcha_test_mode_needs_the_bench_switch() -> None:
    code = "from django.conf import settings; print(settings.CAPTCHA_TEST_MODE)"
    env = {
        k: v for k, v in os.environ.items() if k not in ("BENCH", "CAPTCHA_TEST_MODE")
    }

    def run(**extra: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert run(CAPTCHA_TEST_MODE="1").endswith("False")
    assert run(CAPTCHA_TEST_MODE="1", BENCH="1").endswith("True")
