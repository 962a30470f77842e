"""Behaviour only real servers show: limits shared by two app servers through
Redis, JSON logs without personal data, 413 on a real oversized upload."""

from __future__ import annotations

import http.client
import json
import subprocess
import uuid
from pathlib import Path

import pytest
import redis

from tests import tools
from tests.security.server import (
    PYTHON,
    ROOT,
    Client,
    Server,
    ServerDB,
    base_env,
    files_under,
    pdf_bytes,
    report_fields,
    submitted_code,
)

pytestmark = pytest.mark.server

REDIS_URL = tools.REDIS_URL
PASSWORD = "Mat-khau-dung-2026"


def _redis_or_fail() -> None:
    """Redis is part of the stack the tests need: a missing server is a failure."""
    redis.Redis.from_url(REDIS_URL).flushdb()


def _create_user(db: ServerDB, username: str) -> None:
    code = (
        "from django.utils import timezone; from accounts.models import User; "
        f"User.objects.filter(username='{username}').delete(); "
        f"User.objects.create_user(username='{username}', "
        f"email='{username}@example.vn', password='{PASSWORD}', "
        "full_name='Lê Văn Khoá', email_confirmed_at=timezone.now(), "
        "consent_at=timezone.now())"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base_env(), "DEBUG": "1", "DATABASE_URL": db.url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _login(server: Server, username: str, password: str) -> int:
    client = Client(server)
    client.get("/dang-nhap/")
    response = client.post_form(
        "/dang-nhap/",
        {
            "csrfmiddlewaretoken": client.csrf(),
            "username": username,
            "password": password,
        },
    )
    return response.status


def _two_servers(
    db: ServerDB, tmp_path: Path, servers: list[Server], **env: str
) -> tuple[Server, Server]:
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    pair = []
    for _ in range(2):
        server = Server(db, media, extra_env={"REDIS_URL": REDIS_URL, **env})
        servers.append(server.start())
        pair.append(server)
    return pair[0], pair[1]


def test_login_lockout_holds_across_two_app_servers(
    server_db: ServerDB, tmp_path: Path, servers: list[Server]
) -> None:
    _redis_or_fail()
    username = f"khoa{uuid.uuid4().hex[:8]}"
    _create_user(server_db, username)
    one, two = _two_servers(server_db, tmp_path, servers)
    # Five wrong passwords, split across the two servers.
    statuses = [
        _login(server, username, "sai-mat-khau") for server in (one, two, one, two, one)
    ]
    assert 500 not in statuses
    # Now even the right password is refused on both.
    for server in (one, two):
        assert _login(server, username, PASSWORD) in (403, 429)
    # A different account from the same address is not locked.
    other = f"mo{uuid.uuid4().hex[:8]}"
    _create_user(server_db, other)
    assert _login(two, other, PASSWORD) == 302


def test_submission_rate_limit_holds_across_two_app_servers(
    server_db: ServerDB, tmp_path: Path, servers: list[Server]
) -> None:
    _redis_or_fail()
    one, two = _two_servers(server_db, tmp_path, servers, REPORT_RATE_LIMIT="3/h")
    marker = uuid.uuid4().hex[:8]
    codes = []
    for n, server in enumerate((one, two, one, two)):
        client = Client(server)
        fields = report_fields(server_db, client, title=f"Giới hạn {marker} số {n}")
        response = client.post("/gui-phan-anh/", fields)
        codes.append(submitted_code(response))
        if n == 3:
            assert response.status == 200
            assert "quá nhiều phản ánh" in response.text
    assert None not in codes[:3] and codes[3] is None
    rows = server_db.query(
        "SELECT COUNT(*) FROM feedback_report WHERE title LIKE %s",
        [f"Giới hạn {marker}%"],
    )
    assert rows[0][0] == 3


SECRET_VALUES = {
    "id_number": "058190004321",
    "phone": "0987654321",
    "email": "binh.tran@example.vn",
}


@pytest.mark.parametrize("debug", ["1", "0"])
def test_logs_of_a_submission_are_json_and_hold_no_personal_data(
    server_db: ServerDB, server_media: Path, servers: list[Server], debug: str
) -> None:
    server = Server(
        server_db,
        server_media,
        extra_env={
            "DEBUG": debug,
            "SECRET_KEY": "a-long-random-test-secret-key-for-the-json-log-test-0123",
            "SECURE_COOKIES": "0",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "DEBUG",
            # Production sends mail over SMTP; the console backend would print it.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        },
        # gunicorn's own start/stop lines are plain text; the app's are JSON.
        args=("--log-level", "warning"),
    )
    server.start()
    servers.append(server)
    client = Client(server)
    fields = report_fields(server_db, client, title="Phản ánh kiểm tra nhật ký")
    fields["phone"] = "0987 654 321"
    response = client.post(
        "/gui-phan-anh/", fields, [("attachments", "don.pdf", pdf_bytes("log"))]
    )
    assert submitted_code(response)
    # A failed login (with its password) and a reset request log too.
    login = Client(server)
    login.get("/dang-nhap/")
    login.post_form(
        "/dang-nhap/",
        {
            "csrfmiddlewaretoken": login.csrf(),
            "username": SECRET_VALUES["email"],
            "password": "Mat-khau-bi-mat-2026",
        },
    )
    bad = client.post("/gui-phan-anh/", {**fields, "id_number": "12345"})
    assert bad.status == 200
    server.stop()

    lines = [line for line in server.output().splitlines() if line.strip()]
    assert len(lines) >= 3  # requests at DEBUG did log
    for line in lines:
        entry = json.loads(line)  # every line is one JSON object
        assert {"time", "level", "logger", "message", "request_id"} <= set(entry)
    output = server.output()
    assert "filed with 1 file(s)" in output
    if debug == "1":  # SQL is logged with its parameters: masked, not left out
        assert "[id]" in output and "[email]" in output
    for value in [*SECRET_VALUES.values(), "0987 654 321", "Mat-khau-bi-mat-2026"]:
        assert value not in output


def _send_large(server: Server, size: int) -> tuple[int, str]:
    """Stream a real multipart body of ``size`` bytes, as a browser would."""
    client = Client(server)
    page = client.get("/gui-phan-anh/")
    assert page.status == 200
    boundary = uuid.uuid4().hex
    prefix = (
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="csrfmiddlewaretoken"\r\n\r\n{client.csrf()}\r\n'
        f"--{boundary}\r\nContent-Disposition: form-data; "
        'name="attachments"; filename="video.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    suffix = f"\r\n--{boundary}--\r\n".encode()
    filler = size - len(prefix) - len(suffix)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.putrequest("POST", "/gui-phan-anh/")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(size))
    conn.putheader("Cookie", f"csrftoken={client.csrf()}")
    conn.endheaders()
    chunk = b"\0" * (1024 * 1024)
    try:
        conn.send(prefix)
        sent = 0
        while sent < filler:
            piece = chunk[: min(len(chunk), filler - sent)]
            conn.send(piece)
            sent += len(piece)
        conn.send(suffix)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before reading it all: fine
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


@pytest.mark.parametrize("megabytes", [26.5, 30])
def test_oversized_upload_through_a_real_server_gets_the_vietnamese_413(
    server_db: ServerDB,
    server_media: Path,
    servers: list[Server],
    megabytes: float,
) -> None:
    server = Server(server_db, server_media).start()
    servers.append(server)
    before = server_db.query("SELECT COUNT(*) FROM feedback_report")[0][0]
    status, body = _send_large(server, int(megabytes * 1024 * 1024))
    assert status == 413
    assert "quá lớn" in body
    assert "Traceback" not in body
    assert server_db.query("SELECT COUNT(*) FROM feedback_report")[0][0] == before
    assert list(files_under(server_media)) == []
    # The server is still healthy afterwards.
    assert Client(server).get("/healthz").status == 200
