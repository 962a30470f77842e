"""A corpus of hostile and broken input for every public form and URL.

Each case is one request. The test that runs them (test_corpus.py) asserts the
same two halves for all: a clear answer below 500, and nothing half-saved (no
rows, no files) unless the request was a plain success. Placeholders in paths:
``{code}`` is a published, resolved report's tracking code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from tests.conftest import REPORT_FIELDS

OVERLONG = "Đ" * 20_000


@dataclass(frozen=True)
class Payload:
    name: str
    value: str
    # Must be refused wherever it goes (nothing may be saved with it).
    always_refused: bool = False


TEXT_PAYLOADS = [
    Payload("empty", "", always_refused=False),
    Payload("blank", " \t \r\n "),
    Payload("overlong", OVERLONG, always_refused=True),
    Payload("nul", "abc\x00def", always_refused=True),
    Payload("control", "a\x01\x07\x1b[2J\x7fb"),
    Payload("script", "<script>alert(1)</script>"),
    Payload("attribute", '"><img src=x onerror=alert(document.cookie)>'),
    Payload("template", "{{ request.META }}{% debug %}"),
    Payload("sql", "' OR '1'='1'; DROP TABLE feedback_report; --"),
    Payload("nfd", unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")),
    Payload("bidi", "abc\u202edcba\u200b"),
    Payload("emoji", "😀" * 40),
    Payload("crlf", "a\r\nSet-Cookie: sessionid=evil"),
    Payload("traversal", "../../../../etc/passwd"),
    Payload("format", "%s%s%n %(password)s {0.__class__}"),
]


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    data: dict[str, str] = field(default_factory=dict)
    # Sent as is (multipart with invalid UTF-8, too large, ...), with its type.
    raw: bytes | None = None
    content_type: str | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    login: bool = False
    csrf_checks: bool = False
    must_refuse: bool = False
    # Files in the multipart body: (field, file name, content).
    files: tuple[tuple[str, str, bytes], ...] = ()


PASSWORD = "Mat-khau-rat-manh-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

REGISTER = {
    "username": "congdan_moi",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "full_name": "Lê Văn Tám",
    "id_number": "058090001234",
    "address": "12 Thống Nhất, Phan Rang - Tháp Chàm",
    "email": "tam.le@example.vn",
    "phone": "0912345678",
    "consent": "on",
    "captcha_0": "test",
    "captcha_1": "PASSED",
}
REPORT = {**REPORT_FIELDS, "consent": "on", "captcha_0": "test", "captcha_1": "PASSED"}
LOGIN = {"username": "congdan_thu", "password": "sai-mat-khau"}
RESET = {"email": "ai.do@example.vn"}
RESEND = {"email": "ai.do@example.vn"}
PROFILE = {
    "full_name": "Phạm Thị Lan",
    "id_number": "058190009999",
    "address": "5 Lê Duẩn, Phan Rang",
    "email": "lan.pham.moi@example.vn",
    "phone": "0977123456",
}
RATING = {"satisfied": "1", "comment": "Cảm ơn", "email": "nguoi.gui@example.vn"}
LANGUAGE = {"language": "en", "next": "/phan-anh/"}

PERSONAL_FIELDS = ["full_name", "id_number", "address", "email", "phone"]

# (path, base data, text fields, login, fields that may be empty)
FORMS: list[tuple[str, str, dict[str, str], list[str], bool, set[str]]] = [
    (
        "register",
        "/dang-ky/",
        REGISTER,
        [*PERSONAL_FIELDS, "username", "password1"],
        False,
        set(),
    ),
    (
        "report",
        "/gui-phan-anh/",
        REPORT,
        ["full_name", "id_number", "location", "email", "phone", "title", "content"],
        False,
        set(),
    ),
    ("login", "/dang-nhap/", LOGIN, ["username", "password"], False, set()),
    ("reset", "/quen-mat-khau/", RESET, ["email"], False, set()),
    ("resend", "/dang-ky/gui-lai/", RESEND, ["email"], False, set()),
    (
        "profile",
        "/tai-khoan/",
        PROFILE,
        ["full_name", "id_number", "address", "email", "phone"],
        True,
        set(),
    ),
    (
        "rating",
        "/phan-anh/{code}/danh-gia/",
        RATING,
        ["comment", "email"],
        False,
        {"comment"},
    ),
    (
        "language",
        "/ngon-ngu/",
        LANGUAGE,
        ["language", "next"],
        False,
        {"language", "next"},
    ),
]

# Which successful answers (3xx) could store something: the rest only read.
WRITES = {"register", "report", "profile", "rating"}


def _form_cases() -> list[Case]:
    cases = []
    for name, path, base, fields, login, optional in FORMS:
        for field_name in fields:
            for payload in TEXT_PAYLOADS:
                refuse = payload.always_refused or (
                    payload.value.strip() == "" and field_name not in optional
                )
                cases.append(
                    Case(
                        id=f"{name}-{field_name}-{payload.name}",
                        method="POST",
                        path=path,
                        data={**base, field_name: payload.value},
                        login=login,
                        must_refuse=refuse and name in WRITES,
                    )
                )
        # Wrong and missing CSRF tokens, GET/PUT on the form, too many fields.
        cases += [
            Case(
                f"{name}-csrf-missing",
                "POST",
                path,
                base,
                login=login,
                csrf_checks=True,
                must_refuse=True,
            ),
            Case(
                f"{name}-csrf-wrong",
                "POST",
                path,
                {**base, "csrfmiddlewaretoken": "x" * 64},
                login=login,
                csrf_checks=True,
                must_refuse=True,
            ),
            Case(f"{name}-put", "PUT", path, base, login=login, must_refuse=True),
            Case(f"{name}-delete", "DELETE", path, login=login, must_refuse=True),
            Case(
                f"{name}-too-many-fields",
                "POST",
                path,
                {**base, **{f"f{i}": "x" for i in range(500)}},
                login=login,
                must_refuse=True,
            ),
            Case(
                f"{name}-body-over-limit",
                "POST",
                path,
                raw=b"x" * 1024,
                content_type="application/x-www-form-urlencoded",
                extra_headers={"CONTENT_LENGTH": str(40 * 1024 * 1024)},
                login=login,
                must_refuse=True,
            ),
            Case(
                f"{name}-invalid-utf8-multipart",
                "POST",
                path,
                raw=_multipart(
                    {
                        **base,
                        "full_name": b"\xff\xfe\xc3(\xa0\xa1",
                        "email": b"\xc0\xafa@b.vn",
                    }
                ),
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
                login=login,
                must_refuse=name in WRITES,
            ),
            Case(
                f"{name}-broken-multipart",
                "POST",
                path,
                raw=b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form",
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
                login=login,
                must_refuse=True,
            ),
            Case(
                f"{name}-no-boundary",
                "POST",
                path,
                raw=b"abc",
                content_type="multipart/form-data",
                login=login,
                must_refuse=True,
            ),
        ]
    return cases


BOUNDARY = "----corpus-boundary-7MA4YWxkTrZu0gW"


def _multipart(
    fields: dict[str, str | bytes], files: tuple[tuple[str, str, bytes], ...] = ()
) -> bytes:
    """A multipart body built by hand: file names and bytes go out exactly as given
    (Django's test client would reduce a file name to its basename)."""
    parts = []
    for key, file_name, content in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    for key, value in fields.items():
        raw = value if isinstance(value, bytes) else value.encode()
        parts.append(
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            + raw
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


BAD_FILE_NAMES = [
    "CON",
    "NUL.txt",
    "con.pdf",
    "LPT1.pdf",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd.pdf",
    "don\x00.pdf",
    "don.pdf\x00.exe",
    ".htaccess",
    "don.pdf.exe",
    "don.php.pdf",
    "a" * 400 + ".pdf",
    "<script>alert(1)</script>.pdf",
    "đơn kiến nghị.PDF",
    unicodedata.normalize("NFD", "ảnh hiện trường.pdf"),
    "",
    " ",
    "...",
]


def _file_cases() -> list[Case]:
    cases = []
    for index, file_name in enumerate(BAD_FILE_NAMES):
        # A real PDF under a hostile name: either refused or stored under a name
        # of the portal's own choosing inside MEDIA_ROOT/reports.
        cases.append(
            Case(
                f"report-file-name-{index}",
                "POST",
                "/gui-phan-anh/",
                raw=_multipart(REPORT, (("attachments", file_name, PDF),)),
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
            )
        )
    for index, (file_name, content) in enumerate(
        [
            ("anh.jpg", b"not an image at all"),
            ("don.pdf", b"MZ\x90\x00 executable"),
            ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30),
            ("trong.pdf", b""),
            ("don.svg", b"<svg onload=alert(1)></svg>"),
            ("trang.html", b"<html><script>alert(1)</script></html>"),
        ]
    ):
        cases.append(
            Case(
                f"report-file-content-{index}",
                "POST",
                "/gui-phan-anh/",
                raw=_multipart(REPORT, (("attachments", file_name, content),)),
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
                must_refuse=True,
            )
        )
    cases.append(
        Case(
            "report-too-many-files",
            "POST",
            "/gui-phan-anh/",
            REPORT,
            files=tuple(("attachments", f"d{i}.pdf", PDF) for i in range(12)),
            must_refuse=True,
        )
    )
    return cases


CODES = [
    "",
    "PA",
    "PA-",
    "PA-0000-0000",
    "pa-zzzz-zzzz",
    "PA-7K3Q-X9MD-EXTRA",
    "PA-7K3Q",
    "x" * 5000,
    "PA-7K3Q-X9M%00",
    "PA-7K3Q-X9M\x00",
    "../../etc/passwd",
    "%2e%2e%2f",
    "ＰＡ－７Ｋ３Ｑ－Ｘ９ＭＤ",
    "PA-ẞK3Q-X9MD",
    "<script>",
    "' OR 1=1 --",
    "PA-7K3Q-X9MD' --",
    "١٢٣٤٥٦٧٨",
]
PAGES = ["0", "-1", "999999", "abc", "1e9", "", "1.5", "9" * 200, "%00", "NaN"]


def _get_cases() -> list[Case]:
    from urllib.parse import quote

    cases = []
    for index, code in enumerate(CODES):
        cases.append(
            Case(f"lookup-code-{index}", "GET", f"/tra-cuu/?code={quote(code)}")
        )
        if code and "/" not in code:
            cases.append(
                Case(f"detail-code-{index}", "GET", f"/phan-anh/{quote(code)}/")
            )
            cases.append(
                Case(
                    f"rate-code-{index}",
                    "POST",
                    f"/phan-anh/{quote(code)}/danh-gia/",
                    RATING,
                )
            )
            cases.append(
                Case(f"file-code-{index}", "GET", f"/phan-anh/{quote(code)}/tep/1/")
            )
    for payload in TEXT_PAYLOADS:
        value = quote(payload.value[:3000])
        for param in ("q", "category", "status", "page"):
            cases.append(
                Case(
                    f"list-{param}-{payload.name}", "GET", f"/phan-anh/?{param}={value}"
                )
            )
        for param in ("period", "start", "end", "category"):
            for path in ("/thong-ke/", "/thong-ke.json"):
                kind = "json" if path.endswith("json") else "html"
                cases.append(
                    Case(
                        f"stats-{kind}-{param}-{payload.name}",
                        "GET",
                        f"{path}?period=custom&{param}={value}",
                    )
                )
        cases.append(
            Case(
                f"announcements-page-{payload.name}",
                "GET",
                f"/thong-bao/?trang={value}&page={value}",
            )
        )
        cases.append(
            Case(
                f"announcement-slug-{payload.name}",
                "GET",
                f"/thong-bao/{quote(payload.value[:300], safe='')}/",
            )
        )
        cases.append(
            Case(
                f"guide-slug-{payload.name}",
                "GET",
                f"/huong-dan/{quote(payload.value[:300], safe='')}/",
            )
        )
    for page in PAGES:
        cases.append(
            Case(f"list-page-{page[:10]}", "GET", f"/phan-anh/?page={quote(page)}")
        )
        cases.append(
            Case(
                f"announcements-trang-{page[:10]}",
                "GET",
                f"/thong-bao/?trang={quote(page)}",
            )
        )
    for start, end in [
        ("2026-13-45", "2026-01-01"),
        ("2026-12-31", "2020-01-01"),
        ("0000-00-00", ""),
        ("9999-12-31", "9999-12-31"),
        ("-1", "1e10"),
        ("2026-02-30", ""),
    ]:
        for path in ("/thong-ke/", "/thong-ke.json"):
            cases.append(
                Case(
                    f"stats-dates-{start}-{end}-{path}",
                    "GET",
                    f"{path}?period=custom&start={start}&end={end}",
                )
            )
    for category in ["khong-co", "1", "-1", "' OR 1=1", "%00", "a" * 500]:
        cases.append(
            Case(
                f"list-category-{category[:12]}",
                "GET",
                f"/phan-anh/?category={quote(category)}",
            )
        )
    for status in ["deleted", "NEW", "new'", "resolved;", "0"]:
        cases.append(
            Case(f"list-status-{status}", "GET", f"/phan-anh/?status={quote(status)}")
        )
    # set_language with hostile next= (open redirect), GET instead of POST.
    for index, target in enumerate(
        [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "http:evil.example",
            "\x00/",
            "/%0d%0aX: y",
        ]
    ):
        cases.append(
            Case(
                f"language-next-{index}",
                "POST",
                "/ngon-ngu/",
                {"language": "en", "next": target},
            )
        )
        cases.append(
            Case(
                f"language-link-next-{index}",
                "GET",
                f"/ngon-ngu/en/?next={quote(target)}",
            )
        )
        cases.append(
            Case(
                f"login-next-{index}",
                "POST",
                f"/dang-nhap/?next={quote(target)}",
                LOGIN,
            )
        )
    cases += [
        Case(
            "language-get", "GET", "/ngon-ngu/?language=en&next=https://evil.example/"
        ),
        Case("logout-get", "GET", "/dang-xuat/"),
        Case("rate-get", "GET", "/phan-anh/{code}/danh-gia/"),
        Case("export-anonymous", "GET", "/tai-khoan/du-lieu.json"),
        Case("delete-account-get-anonymous", "GET", "/tai-khoan/xoa/"),
        Case("confirm-bad-token", "GET", "/dang-ky/xac-nhan/khong-hop-le/"),
        Case("confirm-long-token", "GET", "/dang-ky/xac-nhan/" + "a" * 3000 + "/"),
        Case("reset-bad-token", "GET", "/dat-lai-mat-khau/MQ/khong-hop-le/"),
        Case("reset-bad-uid", "GET", "/dat-lai-mat-khau/%00%ff/abc-def/"),
        Case("submitted-other-code", "GET", "/gui-phan-anh/da-gui/{code}/"),
        Case("captcha-image-bad", "GET", "/captcha/image/khong-co/"),
        Case("captcha-image-traversal", "GET", "/captcha/image/..%2f..%2fetc/"),
        Case("captcha-image-2x-bad", "GET", "/captcha/image/abc@2/"),
        Case("captcha-audio-bad", "GET", "/captcha/audio/khong-co.wav"),
        Case("captcha-refresh-plain", "GET", "/captcha/refresh/"),
        Case("captcha-refresh-post", "POST", "/captcha/refresh/", {"x": "1"}),
        Case("file-pk-huge", "GET", "/phan-anh/{code}/tep/99999999999999999999/"),
        Case(
            "thumbnail-pk-huge",
            "GET",
            "/phan-anh/{code}/tep/99999999999999999999/anh-nho/",
        ),
        Case("sitemap-page", "GET", "/sitemap.xml?p=abc"),
        Case("home-post", "POST", "/", {"x": "1"}),
        Case("robots-post", "POST", "/robots.txt", {"x": "1"}),
        Case("bad-host", "GET", "/", extra_headers={"HTTP_HOST": "evil.example"}),
        Case("path-traversal-static", "GET", "/static/..%2f..%2fportal/settings.py"),
        Case("path-traversal-media", "GET", "/media/../../etc/passwd"),
    ]
    return cases


CASES: list[Case] = _form_cases() + _file_cases() + _get_cases()
