"""Many citizens at once, and a crash mid-way, against real gunicorn servers.

PostgreSQL gets four workers with threads and 100 submissions; SQLite (one writer
at a time) gets one worker and fewer submissions, so the same checks run on both.
"""

from __future__ import annotations

import hashlib
import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.security.server import (
    Client,
    Server,
    ServerDB,
    files_under,
    pdf_bytes,
    report_fields,
    submitted_code,
)

pytestmark = pytest.mark.server
TITLE_LIKE = "Phản ánh đồng thời số %"


def _submit(server: Server, db: ServerDB, n: int) -> tuple[int, str | None, list[str]]:
    """One citizen: open the form, solve the captcha, send two PDF files."""
    client = Client(server)
    try:
        fields = report_fields(db, client, title=f"Phản ánh đồng thời số {n:03d}")
        files = [
            ("attachments", f"don-{n}-a.pdf", pdf_bytes(f"{n}-a")),
            ("attachments", f"don-{n}-b.pdf", pdf_bytes(f"{n}-b")),
        ]
        response = client.post("/gui-phan-anh/", fields, files)
    except (OSError, http.client.HTTPException):  # the server died under it
        return (0, None, [])
    digests = [hashlib.sha256(content).hexdigest() for _n, _f, content in files]
    return (response.status, submitted_code(response), digests)


def _stored(db: ServerDB) -> dict[str, list[tuple[str, str]]]:
    rows = db.query(
        "SELECT r.code, a.file, a.sha256 FROM feedback_report r "
        "LEFT JOIN feedback_attachment a ON a.report_id = r.id "
        "WHERE r.title LIKE %s",
        [TITLE_LIKE],
    )
    stored: dict[str, list[tuple[str, str]]] = {}
    for code, name, digest in rows:
        stored.setdefault(code, [])
        if name:
            stored[code].append((name, digest))
    return stored


def _clear(db: ServerDB) -> None:
    for table in ("feedback_attachment", "feedback_statuschange"):
        db.query(
            f"DELETE FROM {table} WHERE report_id IN (SELECT id FROM feedback_report "  # noqa: S608
            "WHERE title LIKE %s)",
            [TITLE_LIKE],
        )
    db.query("DELETE FROM feedback_report WHERE title LIKE %s", [TITLE_LIKE])


def _server(db: ServerDB, media: Path) -> Server:
    if db.is_sqlite:
        return Server(db, media, workers=1, threads=1)
    return Server(db, media, workers=4, threads=4)


def test_100_concurrent_submissions_with_files_lose_nothing(
    server_db: ServerDB, server_media: Path, servers: list[Server]
) -> None:
    _clear(server_db)
    server = _server(server_db, server_media).start()
    servers.append(server)
    total = 40 if server_db.is_sqlite else 100
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda n: _submit(server, server_db, n), range(total)))

    assert [status for status, _c, _d in results if status != 302] == []
    codes = [code for _s, code, _d in results]
    assert None not in codes
    assert len(set(codes)) == total
    stored = _stored(server_db)
    assert sorted(stored) == sorted(codes)  # type: ignore[type-var]
    for _status, code, digests in results:
        files = stored[str(code)]
        assert sorted(digest for _n, digest in files) == sorted(digests)
        for name, digest in files:
            on_disk = (server_media / name).read_bytes()
            assert hashlib.sha256(on_disk).hexdigest() == digest
    assert "Internal Server Error" not in server.output()


def test_sigkill_mid_way_loses_no_confirmed_report_and_leaves_no_part(
    server_db: ServerDB, server_media: Path, servers: list[Server]
) -> None:
    _clear(server_db)
    server = _server(server_db, server_media).start()
    servers.append(server)
    total = 30 if server_db.is_sqlite else 60
    with ThreadPoolExecutor(max_workers=10) as pool:
        futures = [pool.submit(_submit, server, server_db, n) for n in range(total)]
        # Crash once some are through and others are in flight.
        deadline = time.monotonic() + 60
        while sum(f.done() for f in futures) < total // 3:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        server.kill()
        results = [f.result() for f in futures]
    # The kill landed mid-way: some citizens saw their request fail.
    assert any(status == 0 for status, _c, _d in results)
    restarted = Server(server_db, server_media, port=server.port).start()
    servers.append(restarted)
    results += [_submit(restarted, server_db, total + n) for n in range(3)]

    confirmed = {code: digests for _s, code, digests in results if code}
    assert len(confirmed) >= total // 3
    assert [s for s, _c, _d in results if s >= 500] == []
    stored = _stored(server_db)
    # Every success page shown is a report in full, files and all.
    for code, digests in confirmed.items():
        assert sorted(d for _n, d in stored[code]) == sorted(digests)
    # No report exists in part: each has both its files, intact on disk.
    for code, files in stored.items():
        assert len(files) == 2, code
        for name, digest in files:
            content = (server_media / name).read_bytes()
            assert hashlib.sha256(content).hexdigest() == digest

    # Files written by requests that died before their commit are orphans: the
    # command lists them (dry run keeps them) and removes them with --delete.
    referenced = {name for files in stored.values() for name, _d in files}
    before = {str(p.relative_to(server_media)) for p in files_under(server_media)}
    listing = _run_cleanup(server_db, server_media, dry_run=True)
    for orphan in before - referenced:
        assert f"orphan {orphan}" in listing
    assert {str(p.relative_to(server_media)) for p in files_under(server_media)} == (
        before
    )
    _run_cleanup(server_db, server_media, dry_run=False)
    after = {str(p.relative_to(server_media)) for p in files_under(server_media)}
    assert after == referenced


def _run_cleanup(db: ServerDB, media: Path, *, dry_run: bool) -> str:
    import subprocess

    from tests.security.server import PYTHON, ROOT, base_env

    args = ["cleanup_orphans", "--grace", "0"] + ([] if dry_run else ["--delete"])
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={
            **base_env(),
            "DEBUG": "1",
            "DATABASE_URL": db.url,
            "MEDIA_ROOT": str(media),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
