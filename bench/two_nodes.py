"""Two app servers, one state: gunicorn on two ports sharing database, Redis, storage.

`python bench/two_nodes.py` (needs DATABASE_URL, default the bench database, and
REDIS_URL) migrates, creates a superuser, starts two gunicorn nodes and checks that:
visitor counters are shared, a session made on one node is valid on the other, a
report filed on one is visible and changeable on the other (and its attachment,
written by one node, is served by the other), and the report rate limit counts
across nodes. tests/perf/test_two_nodes.py runs the same checks in `make test`.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN = ("nodes-admin", "Quan-tri-2-nodes!")
RATE = "2/h"
LIMITED = "Ông/Bà đã gửi quá nhiều phản ánh"
# The visitor counter ignores scripts (python-requests is a bot): be a browser.
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) two-nodes-check"}


def browser() -> requests.Session:
    session = requests.Session()
    session.headers.update(BROWSER)
    return session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def node_env(*, database_url: str, redis_url: str, media_root: Path) -> dict[str, str]:
    """The environment every node gets: same secret, same database, cache, storage."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="two-nodes-" + secrets.token_urlsafe(32),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="nodes-" + uuid.uuid4().hex[:8],
        MEDIA_ROOT=str(media_root),
        VAR_DIR=str(media_root.parent / "var"),
        STATIC_ROOT=str(media_root.parent / "static"),
        STATIC_MANIFEST="0",
        # Plain HTTP on loopback: production defaults switched off explicitly.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
        # The bench checks that an admin session crosses nodes, not the second
        # factor (tests/security/test_two_factor.py does).
        OFFICIALS_2FA="0",
        REPORT_RATE_LIMIT=RATE,
        # The captcha answers PASSED only with both (see settings.py).
        BENCH="1",
        CAPTCHA_TEST_MODE="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def create_admin(env: dict[str, str]) -> None:
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({ADMIN[0]!r}, "
        f"'nodes-admin@example.vn', {ADMIN[1]!r})",
    )


@contextmanager
def two_nodes(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Start node A and node B (one gunicorn each); yield their base URLs."""
    servers: list[subprocess.Popen[bytes]] = []
    bases = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(
                subprocess.Popen(  # noqa: S603
                    [
                        str(BIN / "gunicorn"),
                        "portal.wsgi",
                        "--workers=1",
                        f"--bind=127.0.0.1:{port}",
                        "--log-level=warning",
                        "--no-control-socket",  # one per user by default
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, server in zip(bases, servers, strict=True):
            _wait_ready(base, server)
        yield bases[0], bases[1]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn at {base} exited with {server.returncode}")
        try:
            if requests.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or too busy starting to answer in time
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {base} never became ready")


def _online(html: str) -> int:
    match = re.search(r'id="visits-online">([\d.]+)<', html)
    assert match, "the footer shows no online count"
    return int(match[1].replace(".", ""))


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _csrf(session: requests.Session, url: str) -> str:
    session.get(url, timeout=10)
    return str(session.cookies.get("csrftoken"))


def file_report(session: requests.Session, base: str, title: str) -> requests.Response:
    token = _csrf(session, base + "/gui-phan-anh/")
    return session.post(
        base + "/gui-phan-anh/",
        data={
            "full_name": "Trần Thị Bình",
            "id_number": "058190004321",
            "location": "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm",
            "email": "binh@example.vn",
            "phone": "0987654321",
            "title": title,
            "content": "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm.",
            "consent": "on",
            "captcha_0": "nodes",
            "captcha_1": "PASSED",
            "csrfmiddlewaretoken": token,
        },
        files={"attachments": ("o-ga.jpg", _jpeg(), "image/jpeg")},
        allow_redirects=False,
        timeout=30,
    )


def check_shared_state(a: str, b: str) -> list[str]:
    """Every cross-node check; returns what was shown, raises AssertionError."""
    shown: list[str] = []

    # 1. Visitor counters live in Redis: two browsers, one on each node.
    first, second = browser(), browser()
    first.get(a + "/", timeout=10)
    second.get(b + "/", timeout=10)
    # Read on a page outside the anonymous page cache: the cached home page may
    # show counts up to PAGE_CACHE_SECONDS old.
    online_a = _online(first.get(a + "/huong-dan/", timeout=10).text)
    online_b = _online(second.get(b + "/huong-dan/", timeout=10).text)
    assert online_a == online_b == 2, (online_a, online_b)
    shown.append(f"visitor counter shared: online {online_a} on A and on B")

    # 2. A session made on A (an official's login) is valid on B.
    admin = browser()
    token = _csrf(admin, a + "/admin/login/")
    login = admin.post(
        a + "/admin/login/?next=/admin/",
        data={
            "username": ADMIN[0],
            "password": ADMIN[1],
            "csrfmiddlewaretoken": token,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.status_code
    on_b = admin.get(b + "/admin/", allow_redirects=False, timeout=10)
    assert on_b.status_code == 200, on_b.status_code
    shown.append("session from A's login accepted by B")

    # 3. A report filed on A is visible on B, to its filer's session too.
    filed = file_report(first, a, "Ổ gà lớn trên đường 16/4 (hai nút)")
    assert filed.status_code == 302, filed.status_code
    code = filed.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert first.get(b + filed.headers["Location"], timeout=10).status_code == 200
    public = requests.get(f"{b}/phan-anh/{code}/", timeout=10)
    assert public.status_code == 200 and "hai nút" in public.text
    shown.append(f"report {code} filed on A, visible on B")

    # 4. ... and changeable on B: the official accepts it there, A shows it.
    listing = admin.get(f"{b}/admin/feedback/report/?q={code}", timeout=10).text
    match = re.search(r"/admin/feedback/report/(\d+)/change/", listing)
    assert match, "the report is not in B's admin list"
    report_id = match[1]
    moved = admin.post(
        f"{b}/admin/feedback/report/{report_id}/xu-ly/",
        data={
            "action": "accepted",
            "expected": "new",
            "csrfmiddlewaretoken": admin.cookies.get("csrftoken"),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert moved.status_code == 302, moved.status_code
    assert "Đã tiếp nhận" in requests.get(f"{a}/phan-anh/{code}/", timeout=10).text
    shown.append("accepted on B, A shows “Đã tiếp nhận”")

    # 5. The attachment written by A is served by B (shared storage), to the
    # official only: permissions still apply.
    detail = admin.get(f"{b}/phan-anh/{code}/", timeout=10).text
    link = re.search(rf"/phan-anh/{re.escape(code)}/tep/(\d+)/", detail)
    assert link, "the official sees no attachment link"
    file_url = b + link[0]
    download = admin.get(file_url, timeout=10)
    assert download.status_code == 200 and download.content[:2] == b"\xff\xd8"
    assert requests.get(file_url, timeout=10).status_code == 404
    shown.append("attachment stored by A served by B; 404 for the public")

    # 6. The report rate limit (2 an hour per IP) counts across nodes.
    third = browser()
    second_report = file_report(third, b, "Ổ gà thứ hai trên đường 16/4")
    assert second_report.status_code == 302, second_report.status_code
    refused = file_report(third, a, "Ổ gà thứ ba trên đường 16/4")
    assert refused.status_code == 200 and LIMITED in refused.text
    shown.append("third report in the hour refused on A after one on A, one on B")
    return shown


def main() -> None:
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
    )
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp) / "media"
        media.mkdir()
        env = node_env(database_url=database_url, redis_url=redis_url, media_root=media)
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.filter(username={ADMIN[0]!r}).delete()",
        )
        create_admin(env)
        with two_nodes(env) as (a, b):
            print(f"node A {a}, node B {b}")
            for line in check_shared_state(a, b):
                print("ok:", line)


if __name__ == "__main__":
    main()
