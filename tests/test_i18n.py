"""The English version: public pages in English, and a complete, compiled catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from stats.models import Announcement
from tests.factories import ReportFactory

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Every page: text only the English catalog can produce, the menu and header
# included, so a page that falls back to Vietnamese fails.
PAGES = {
    "/": ["Look up a report by its code", "Answered reports", "Handling results"],
    "/dang-ky/": ["Register an account", "Fields marked * are required.", "Password"],
    "/dang-nhap/": ["Forgot your password?", "Username or email"],
    "/gui-phan-anh/": ["Location of the issue", "ID card number (CMND/CCCD)"],
    "/tra-cuu/": ["Look up a report", "Report code"],
    "/phan-anh/": ['<h1 class="h3 mb-3">Reports</h1>', "All categories", "1 report"],
    "/thong-ke/": ["Handling result statistics", "Key figures", "Awaiting intake"],
    "/thong-bao/": ["Announcements", "Pinned"],
    "/huong-dan/": ["User guides"],
}
EVERY_PAGE = [
    '<html lang="en">',
    "Ninh Thuan Field Report System",
    "Submit a report",
    "Look up",
    "Statistics",
    "Log in",
    "Register",
    "Skip to main content",
]
# Menu and header text in Vietnamese: none of it may be left on an English page.
VIETNAMESE = ["Trang chủ", "Gửi phản ánh", "Đăng nhập", "Đăng ký", "Thống kê"]


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_public_page_in_english(english: Client, url: str) -> None:
    ReportFactory(published=True)
    Announcement.objects.create(
        title="Thông báo lịch tiếp dân",
        body="Nội dung.",
        is_published=True,
        pinned=True,
    )
    response = english.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    content = response.content.decode()
    for text in EVERY_PAGE + PAGES[url]:
        assert text in content, f"{url}: {text!r} missing"
    for text in VIETNAMESE:
        assert text not in content, f"{url}: Vietnamese {text!r} left"


@pytest.mark.django_db
def test_report_page_in_english(english: Client) -> None:
    report = ReportFactory(published=True)
    content = english.get(f"/phan-anh/{report.code}/").content.decode()
    for text in ["Report code", "Resolved", "Date answered", "Rate the outcome"]:
        assert text in content


@pytest.mark.django_db
def test_vietnamese_stays_the_default(client: Client) -> None:
    content = client.get("/").content.decode()
    assert '<html lang="vi">' in content
    assert "Gửi phản ánh" in content
    assert "Submit a report" not in content


def _po_entries(path: Path) -> list[dict[str, str]]:
    """msgid/msgid_plural/msgstr/msgstr[n]/flags of each entry in a .po file.

    A few lines instead of a .po library: strings are C-quoted like JSON strings and
    continue on following lines that start with a quote.
    """
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += json.loads(line)
        else:
            key, _space, quoted = line.partition(" ")
            entry[key] = json.loads(quoted)
    return entries


def test_po_file_is_complete_and_not_fuzzy() -> None:
    entries = [entry for entry in _po_entries(PO_FILE) if entry["msgid"]]
    assert len(entries) > 500  # the parser read the whole catalog
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", ""), entry["msgid"]
        strings = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert strings and all(strings), f"untranslated: {entry['msgid']!r}"
        assert len(strings) == (2 if "msgid_plural" in entry else 1), entry["msgid"]


def test_compiled_catalog_matches_the_po_file() -> None:
    """django.mo holds every translation in django.po: compilemessages was run."""
    catalog = trans_real.translation("en")._catalog
    for entry in _po_entries(PO_FILE):
        if not entry["msgid"]:
            continue
        # gettext keys a string with a context as "context\x04msgid".
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for n in (0, 1):
                key = (msgid, n)
                assert catalog.get(key) == entry[f"msgstr[{n}]"], key
        else:
            assert catalog.get(msgid) == entry["msgstr"], msgid


def test_plural_and_placeholders_render() -> None:
    with translation.override("en"):
        assert (
            translation.ngettext("%(counter)s phản ánh", "%(counter)s phản ánh", 1)
            % {"counter": 1}
            == "1 report"
        )
        assert (
            translation.ngettext("%(counter)s phản ánh", "%(counter)s phản ánh", 3)
            % {"counter": 3}
            == "3 reports"
        )
        assert translation.gettext("Chờ tiếp nhận") == "Awaiting intake"
