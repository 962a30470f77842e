"""Shared fixtures: the cast of characters and test switches."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# from tests alongside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests import tools
from tests.factories import UserFactory
from tests.mail_sink import smtp  # noqa: F401 - the local SMTP server fixture


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, with the reason, a test whose outside tool is missing here."""
    problems = tools.missing_for({mark.name for mark in item.iter_markers()})
    if problems:
        pytest.skip("; ".join(problems))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under PORTAL_REQUIRE_TOOLS=1 (make test, CI) every skip is a failure."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if tools.REQUIRE_TOOLS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = (
            f"{reason}\nPORTAL_REQUIRE_TOOLS=1 (make test, CI): a skip is a failure "
            "here, so the suite cannot pass without running this test."
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any) -> Iterator[None]:
    """MD5 hashing for speed; a fresh local-memory cache for every test; the
    portal's language, whatever an earlier request in this thread chose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def captcha_pass(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Make the captcha accept the answer PASSED; returns the form fields to post.

    CAPTCHA_TEST_MODE is read when the package is imported, so override_settings
    cannot switch it: patch the package's own settings module instead.
    """
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    return {"captcha_0": "test", "captcha_1": "PASSED"}


@pytest.fixture
def citizen(db: None) -> Any:
    """A confirmed citizen account with every personal field filled in."""
    return UserFactory()


@pytest.fixture
def other_citizen(db: None) -> Any:
    """A second confirmed citizen, to check that one cannot see the other's data."""
    return UserFactory()


# --- Officials ---------------------------------------------------------


def _staff_in_group(group_name: str, username: str, **extra: Any) -> Any:
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def agency_a(db: None) -> Any:
    """Agency A: Sở Giao thông (thử), with its notification email."""
    from tests.factories import AgencyFactory

    return AgencyFactory(code="so-gt-thu", name="Sở Giao thông (thử)")


@pytest.fixture
def agency_b(db: None) -> Any:
    """Agency B: Sở Xây dựng (thử), a different agency."""
    from tests.factories import AgencyFactory

    return AgencyFactory(code="so-xd-thu", name="Sở Xây dựng (thử)")


@pytest.fixture
def intake_officer(db: None) -> Any:
    """Cán bộ tiếp nhận: sees every report; accepts, rejects, routes, publishes."""
    return _staff_in_group("Cán bộ tiếp nhận", "tiepnhan_thu")


@pytest.fixture
def official_a(agency_a: Any) -> Any:
    """Cán bộ xử lý of agency A: sees and works only reports routed to agency A."""
    from feedback.models import Official

    user = _staff_in_group("Cán bộ xử lý", "xuly_a")
    Official.objects.create(user=user, agency=agency_a)
    return user


@pytest.fixture
def official_b(agency_b: Any) -> Any:
    """Cán bộ xử lý of agency B: must never see agency A's reports."""
    from feedback.models import Official

    user = _staff_in_group("Cán bộ xử lý", "xuly_b")
    Official.objects.create(user=user, agency=agency_b)
    return user


@pytest.fixture
def editor(db: None) -> Any:
    """Biên tập viên: announcements, guides, links; no reports, no personal data."""
    return _staff_in_group("Biên tập viên", "bientap_thu")


@pytest.fixture(scope="session", autouse=True)
def _session_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Files written outside a test (session or module fixtures) stay out of var/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("session-media")):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Every test's uploads go to a fresh folder, never the checkout's var/media;
    tests that check what lands on disk ask for this fixture by name."""
    # Not created here: storage makes it on the first save, so a test can still
    # check that nothing was written (S3) or make tmp_path / "media" itself.
    root = tmp_path / "test-media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the images decoded (the real decoder runs; it is counted)."""
    from portal.lib import uploads

    seen: list[str] = []
    real = uploads._open_image

    def counted(stream: Any, ftype: Any, name: str) -> Any:
        seen.append(name)
        return real(stream, ftype, name)

    monkeypatch.setattr(uploads, "_open_image", counted)
    return seen


# A citizen's report as the filing form takes it, without consent or captcha.
REPORT_FIELDS = {
    "full_name": "Trần Thị Bình",
    "id_number": "058190004321",
    "location": "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm",
    "email": "binh@example.vn",
    "phone": "0987 654 321",
    "title": "Ổ gà lớn trên đường 16/4",
    "content": "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm về đêm.",
}


@pytest.fixture
def report_form(captcha_pass: dict[str, str]) -> dict[str, str]:
    """Valid POST data for /gui-phan-anh/ (add attachments as needed)."""
    return {**REPORT_FIELDS, "consent": "on", **captcha_pass}


@pytest.fixture
def page_queries() -> Any:
    """How many queries a GET runs once warm, to use as a baseline for budgets.

    The first request of a visit may write (visitor counters) or fill caches that
    other features own; the warm-up request keeps those out of the count.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client: Any, url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    return count
