"""Real app servers for the security tests: gunicorn on its own database.

pytest-django's test database is in memory on SQLite, where another process
cannot see it; these tests therefore migrate a database of their own (a file on
SQLite, ``<name>_srv`` on PostgreSQL) and talk to it only through HTTP and a small
raw-SQL helper, as an outside client and an operator would.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }


@dataclass
class ServerDB:
    """A migrated database the servers share, with raw SQL access for checks."""

    url: str
    is_sqlite: bool

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.is_sqlite:
            import sqlite3

            name = dj_database_url.parse(self.url)["NAME"]
            with sqlite3.connect(str(name), timeout=30) as conn:
                return list(conn.execute(sql.replace("%s", "?"), tuple(params)))
        import psycopg

        url = self.url.replace("postgres://", "postgresql://")
        with psycopg.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute(sql, tuple(params))  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def captcha_answer(self, hashkey: str) -> str:
        rows = self.query(
            "SELECT response FROM captcha_captchastore WHERE hashkey = %s", [hashkey]
        )
        return str(rows[0][0])


def make_server_db(tmp_dir: Path) -> ServerDB:
    """Create and migrate the servers' database (dropped first on PostgreSQL)."""
    main = os.environ.get("DATABASE_URL", "")
    if main.startswith(("postgres://", "postgresql://")):
        import psycopg

        config = dj_database_url.parse(main)
        name = f"{config['NAME']}_srv"
        admin_url = main.rsplit("/", 1)[0] + "/postgres"
        admin_url = admin_url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        db = ServerDB(main.rsplit("/", 1)[0] + "/" + name, is_sqlite=False)
    else:
        db = ServerDB(f"sqlite:///{tmp_dir / 'server.sqlite3'}", is_sqlite=True)
    result = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**base_env(), "DEBUG": "1", "DATABASE_URL": db.url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@dataclass
class Server:
    """One gunicorn (master and workers in their own process group)."""

    db: ServerDB
    media: Path
    workers: int = 1
    threads: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    args: tuple[str, ...] = ()

    def env(self) -> dict[str, str]:
        return {
            **base_env(),
            "DEBUG": "1",
            "DATABASE_URL": self.db.url,
            "MEDIA_ROOT": str(self.media),
            "REPORT_RATE_LIMIT": "0",
            "LOG_FORMAT": "json",
            "STATIC_MANIFEST": "0",
            # Plain HTTP on loopback: the production defaults (HTTPS redirect, HSTS,
            # Secure cookies) switched off explicitly, so DEBUG=0 servers work too.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "0",
            **self.extra_env,
        }

    def start(self) -> Server:
        self.port = self.port or free_port()
        self.log_path = (
            self.media.parent / f"gunicorn-{self.port}-{uuid.uuid4().hex}.log"
        )
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
                *self.args,
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one group: SIGKILL reaches every worker
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if Client(self).get("/healthz").status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start:\n" + self.output())

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL to master and workers at once, as a crash or OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A browser-like HTTP client: keeps cookies, sends CSRF tokens."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(
                f"{k}={v}" for k, v in self.cookies.items()
            )
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read()
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: Sequence[tuple[str, str, bytes]] = (),
        referer: bool = True,
    ) -> Response:
        body, content_type = multipart(fields, files)
        headers = {"Content-Type": content_type}
        if referer:
            headers["Referer"] = f"http://127.0.0.1{path}"
        return self.request("POST", path, body, headers)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def multipart(
    fields: dict[str, str], files: Sequence[tuple[str, str, bytes]] = ()
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content in files:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


_HASHKEY = re.compile(
    r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"'
)


def captcha_key(page: str) -> str:
    match = _HASHKEY.search(page)
    assert match, "no captcha on the page"
    return match.group(1) or match.group(2)


def report_fields(db: ServerDB, client: Client, *, title: str) -> dict[str, str]:
    """GET the report form like a browser and fill it in, captcha solved."""
    page = client.get("/gui-phan-anh/")
    assert page.status == 200, page.status
    key = captcha_key(page.text)
    return {
        "csrfmiddlewaretoken": client.csrf(),
        "full_name": "Trần Thị Bình",
        "id_number": "058190004321",
        "location": "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm",
        "email": "binh.tran@example.vn",
        "phone": "0987654321",
        "title": title,
        "content": "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm về đêm.",
        "consent": "on",
        "captcha_0": key,
        "captcha_1": db.captcha_answer(key),
    }


SUBMITTED = re.compile(r"/gui-phan-anh/da-gui/(PA-[0-9A-Z]{4}-[0-9A-Z]{4})/")


def submitted_code(response: Response) -> str | None:
    """The tracking code of a successful submission (its redirect), else None."""
    if response.status != 302:
        return None
    match = SUBMITTED.search(response.headers.get("location", ""))
    return match.group(1) if match else None


def pdf_bytes(seed: str) -> bytes:
    """A small valid PDF whose bytes differ per seed (to tell files apart)."""
    return (
        b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + seed.encode() + b"\ntrailer<<>>\n%%EOF\n"
    )


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())
