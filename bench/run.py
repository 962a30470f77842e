"""`make bench`: the portal under gunicorn on PostgreSQL and Redis, driven by wrk.

Steps: migrate and collectstatic with production settings, make sure the data set
holds --reports reports (seed_bulk), count each scenario's SQL queries
(bench/prepare.py), start gunicorn, warm it, then run wrk at fixed concurrency for
a fixed time per scenario, then score the main pages with Lighthouse (mobile,
Debian's Chromium; --no-lighthouse skips it). Prints a table, checks the budgets, writes
bench/results/<timestamp>.json. See README, "Performance".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.payloads import form_fields, photo  # noqa: E402

# (scenario, budget kind, target): ratios are of /healthz throughput in the same run.
BUDGETS = [
    ("home", "ratio", 0.5),
    ("stats", "ratio", 0.5),
    ("report", "ratio", 0.4),
    ("report_files", "ratio", 0.4),
    ("search", "p99_ms", 200.0),
    ("search_fresh", "p99_ms", 200.0),
    ("nearby", "p99_ms", 50.0),
    ("map", "p99_ms", 100.0),
    ("open311_list", "ratio", 0.3),
    ("submit", "rps", 30.0),
]
# Request headers per scenario beyond wrk's own (which sends no Accept-Encoding).
HEADERS = {
    "open311_list": ["Accept-Encoding: gzip"],
    "home_gzip": ["Accept-Encoding: gzip, deflate, br"],
}
FIRST_RENDER_MS = 300.0
UPLOAD_GROWTH_MB = 30.0
# Lighthouse (mobile) on the pages people land on, in the production profile.
LIGHTHOUSE_PAGES = ("home", "submit", "stats", "report_files", "map_page")
LIGHTHOUSE_MIN = {
    "performance": 0.95,
    "accessibility": 1.0,
    "best-practices": 0.95,
    "seo": 0.95,
}
# Audits whose numbers are kept beside the scores (first render, weight).
LIGHTHOUSE_METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "total-byte-weight": "bytes",
}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env(args: argparse.Namespace, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        STATIC_MANIFEST="1",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(40),
        SECURE_SSL_REDIRECT="0",  # loopback, plain HTTP
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        REPORT_RATE_LIMIT="0",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX="bench",
        BENCH="1",
        CAPTCHA_TEST_MODE="1",  # honoured only with BENCH=1, see settings.py
        EMAIL_QUEUE="1",  # production shape: emails wait in the outbox
        VAR_DIR=str(var),
        STATIC_ROOT=str(var / "static"),
        MEDIA_ROOT=str(var / "media"),
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: sudo apt-get install -y wrk")
    return found


def ensure_database(url: str) -> None:
    """Create the bench database on first use (the server must allow it)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating database {name}…", flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not become ready")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict[str, Any]:
    def latency(pct: str) -> float:
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            raise ValueError(f"no {pct}% latency in wrk output:\n{output}")
        return round(float(match[1]) * UNITS[match[2]], 2)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: (.*)", output)
    if not rps or not total:
        raise ValueError(f"unexpected wrk output:\n{output}")
    return {
        "rps": round(float(rps[1]), 1),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(total[1]),
        "errors": int(bad[1]) if bad else 0,
        "socket_errors": sock[1].strip() if sock else "",
    }


def run_wrk(
    wrk: str,
    url: str,
    *,
    seconds: int,
    connections: int,
    script: str | None = None,
    headers: list[str] | None = None,
) -> dict[str, Any]:
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers or []:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    done = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    )
    return parse_wrk(done.stdout)


def multipart(
    fields: dict[str, str], files: list[tuple[str, str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = "bench" + uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for field, filename, data, ctype in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), boundary


def csrf_token(base: str) -> str:
    with urllib.request.urlopen(base + "/gui-phan-anh/") as response:  # noqa: S310
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"csrftoken=([^;]+)", header)
            if match:
                return match[1]
    sys.exit("no CSRF cookie on /gui-phan-anh/")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_report(base: str, body: bytes, boundary: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310
        base + "/gui-phan-anh/",
        data=body,
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def fresh_search_script(tmp: Path, searches: list[str]) -> str:
    """Searches no cache has seen: each request one of bench/prepare.py's
    searches (frequent and rare phrases of the data set) with a throwaway
    parameter, so the page cache never answers and the full-text query runs
    every time."""
    script = tmp / "search.lua"
    terms = ", ".join(f'"{term}"' for term in searches)
    script.write_text(
        f"local terms = {{{terms}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  local term = terms[math.random(#terms)]\n"
        '  return wrk.format("GET", "/phan-anh/?q=" .. term .. "&lan=" .. n .. '
        "math.random(1000000))\n"
        "end\n"
    )
    return str(script)


def upload_script(tmp: Path, body: bytes, boundary: str, token: str) -> str:
    body_file = tmp / "upload.body"
    body_file.write_bytes(body)
    script = tmp / "upload.lua"
    script.write_text(
        f'local f = io.open("{body_file}", "rb")\n'
        "wrk.body = f:read('*all')\nf:close()\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["Content-Type"] = "multipart/form-data; boundary={boundary}"\n'
        f'wrk.headers["Cookie"] = "csrftoken={token}"\n'
        f'wrk.headers["X-CSRFToken"] = "{token}"\n'
    )
    return str(script)


def report_count(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM feedback_report").fetchone()
        return int(row[0]) if row else 0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def upload_memory(base: str, master: int, token: str) -> dict[str, float]:
    """Peak RSS growth of any worker while one 25 MB report is filed."""
    pdf = b"%PDF-1.4\n" + os.urandom(10_000_000 - 20) + b"\n%%EOF\n"
    tail = b"%PDF-1.4\n" + os.urandom(4_500_000) + b"\n%%EOF\n"
    body, boundary = multipart(
        form_fields(),
        [
            ("attachments", "a.pdf", pdf, "application/pdf"),
            ("attachments", "b.pdf", pdf, "application/pdf"),
            ("attachments", "c.pdf", tail, "application/pdf"),
        ],
    )
    pids = workers_of(master)
    baseline = {pid: rss_mb(pid) for pid in pids}
    peak = dict(baseline)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    status = post_report(base, body, boundary, token)
    stop.set()
    sampler.join()
    if status != 302:
        sys.exit(f"25 MB upload answered {status}, expected 302")
    growth = max(peak[pid] - baseline[pid] for pid in pids)
    worst = max(pids, key=lambda pid: peak[pid] - baseline[pid])
    return {
        "upload_mb": round(len(body) / 1e6, 1),
        "baseline_mb": round(baseline[worst], 1),
        "peak_mb": round(peak[worst], 1),
        "growth_mb": round(growth, 1),
    }


def first_render_http(base: str, redis_url: str, path: str) -> float:
    """Wall time of one request right after the cache is emptied (loopback)."""
    import redis

    urllib.request.urlopen(base + path).read()  # noqa: S310 — worker warm
    redis.Redis.from_url(redis_url).flushdb()
    started = time.perf_counter()
    urllib.request.urlopen(base + path).read()  # noqa: S310
    return round((time.perf_counter() - started) * 1000, 1)


def lighthouse_binary() -> str:
    """npm's Lighthouse (package.json; `npm ci`), or LIGHTHOUSE=path."""
    found = os.environ.get("LIGHTHOUSE") or str(
        ROOT / "node_modules" / ".bin" / "lighthouse"
    )
    if not Path(found).exists():
        sys.exit(f"{found} is missing: npm ci (or --no-lighthouse)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return found


def parse_lighthouse(report: dict[str, Any]) -> dict[str, Any]:
    """The four scores, the first-render figures and the audits that lost points."""
    scores = {name: report["categories"][name]["score"] for name in LIGHTHOUSE_MIN}
    audits = report["audits"]
    metrics = {
        key: round(float(audits[audit]["numericValue"]), 3 if key == "cls" else 0)
        for audit, key in LIGHTHOUSE_METRICS.items()
        if audits.get(audit, {}).get("numericValue") is not None
    }
    counted = {
        ref["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    failing = sorted(
        audit_id
        for audit_id, audit in audits.items()
        if audit_id in counted
        and audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {**scores, **metrics, "failing": failing}


def run_lighthouse(binary: str, url: str, tmp: Path) -> dict[str, Any]:
    """One Lighthouse run; a second when the first fails (a trace Chromium did
    not record, NO_NAVSTART, happens now and then on a busy machine)."""
    out = tmp / "lighthouse.json"
    command = [
        binary,
        url,
        "--only-categories=" + ",".join(LIGHTHOUSE_MIN),
        "--form-factor=mobile",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in (1, 2):
        out.unlink(missing_ok=True)
        done = subprocess.run(command, env=env, timeout=300, check=False)  # noqa: S603
        report = json.loads(out.read_text()) if out.exists() else {}
        if done.returncode == 0 and not report.get("runtimeError"):
            return parse_lighthouse(report)
        print(f"lighthouse failed on {url} (try {attempt})", flush=True)
    sys.exit(f"lighthouse could not score {url}")


def lighthouse_budgets(pages: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for name, scores in pages.items():
        for category, minimum in LIGHTHOUSE_MIN.items():
            value = scores[category]
            rows.append(
                {
                    "budget": f"lighthouse {name}: {category} ≥ {minimum}",
                    "actual": value,
                    "ok": value is not None and value >= minimum,
                }
            )
    return rows


def check_budgets(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    by_name = {s["name"]: s for s in result["scenarios"]}
    for name, kind, target in BUDGETS:
        scenario = by_name[name]
        if kind == "ratio":
            actual, ok = scenario["ratio"], scenario["ratio"] >= target
            label = f"{name}: ≥ {target} × /healthz"
        elif kind == "p99_ms":
            actual, ok = scenario["p99_ms"], scenario["p99_ms"] < target
            label = f"{name}: p99 < {target:.0f} ms"
        else:
            actual, ok = scenario["rps"], scenario["rps"] >= target
            label = f"{name}: ≥ {target:.0f} req/s"
        rows.append({"budget": label, "actual": actual, "ok": ok})
    for name, value in result["first_render_http_ms"].items():
        rows.append(
            {
                "budget": f"{name}: first render after cache clear < 300 ms",
                "actual": value,
                "ok": value < FIRST_RENDER_MS,
            }
        )
    growth = result["upload_memory"]["growth_mb"]
    rows.append(
        {
            "budget": "worker RSS growth during a 25 MB upload < 30 MB",
            "actual": growth,
            "ok": growth < UPLOAD_GROWTH_MB,
        }
    )
    return rows + lighthouse_budgets(result.get("lighthouse", {}))


def print_table(result: dict[str, Any]) -> None:
    print(
        f"\n{result['reports']:,} reports, {result['workers']} gunicorn workers, "
        f"wrk {result['seconds']} s per scenario, {result['started']}"
    )
    header = (
        f"{'scenario':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'SQL/req':>7} {'×healthz':>8} {'errors':>6}  url"
    )
    print(header)
    print("-" * len(header))
    for s in result["scenarios"]:
        print(
            f"{s['name']:<13} {s['rps']:>8.1f} {s['p50_ms']:>8.2f} {s['p99_ms']:>8.2f} "
            f"{s['queries']:>7} {s['ratio']:>8.2f} {s['errors']:>6}  {s['url']}"
        )
    print("\nFirst render after a cache clear (ms):", end=" ")
    print(
        ", ".join(f"{k} {v}" for k, v in result["first_render_http_ms"].items()),
        f"(in-process: {result['first_render_server_ms']})",
    )
    memory = result["upload_memory"]
    print(
        f"Upload of {memory['upload_mb']} MB: worker RSS {memory['baseline_mb']} -> "
        f"{memory['peak_mb']} MB (+{memory['growth_mb']} MB)"
    )
    if result.get("lighthouse"):
        print("\nLighthouse (mobile):")
        print(
            f"{'page':<13} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} "
            f"{'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} {'kB':>6}  "
            "audits below 0.9"
        )
        for name, page in result["lighthouse"].items():
            print(
                f"{name:<13} {page['performance']:>5} {page['accessibility']:>5} "
                f"{page['best-practices']:>5} {page['seo']:>5} "
                f"{page.get('fcp_ms', '—'):>7} {page.get('lcp_ms', '—'):>7} "
                f"{page.get('tbt_ms', '—'):>7} {page.get('cls', '—'):>6} "
                f"{round(page.get('bytes', 0) / 1024):>6}  "
                + (", ".join(page["failing"]) or "—")
            )
    print("\nBudgets:")
    for row in result["budgets"]:
        print(f"  [{'ok' if row['ok'] else 'MISS'}] {row['budget']}: {row['actual']}")


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """--database-url and --redis-url: the bench's data set and cache."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
        ),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_store_arguments(parser)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument(
        "--lighthouse",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="score " + ", ".join(LIGHTHOUSE_PAGES) + " with Lighthouse (mobile)",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    lighthouse = lighthouse_binary() if args.lighthouse else None
    ensure_database(args.database_url)
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, var)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    print("Preparing data and counting queries…", flush=True)
    prepared = json.loads(
        subprocess.run(  # noqa: S603
            [str(BIN / "python"), "bench/prepare.py", str(args.reports)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,  # the JSON; progress and errors go to stderr
            text=True,
        ).stdout
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "portal.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{port}",
            "--worker-tmp-dir=/dev/shm",
            "--log-level=warning",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_ready(base)
        urls = prepared["urls"]
        token = csrf_token(base)
        image = photo()
        body, boundary = multipart(
            form_fields(), [("attachments", "anh.jpg", image, "image/jpeg")]
        )
        if (status := post_report(base, body, boundary, token)) != 302:
            sys.exit(f"filing a report answered {status}, expected 302")
        # Every page with a counted query budget is a wrk scenario.
        scenario_names = [name for name in urls if name in prepared["queries"]]
        names = scenario_names if not args.only else args.only.split(",")
        for name in names:  # warm every worker on every page
            if name != "submit":
                for _ in range(10):
                    urllib.request.urlopen(base + urls[name]).read()  # noqa: S310
        scenarios = []
        with tempfile.TemporaryDirectory() as tmp:
            scripts = {
                "submit": upload_script(Path(tmp), body, boundary, token),
                "search_fresh": fresh_search_script(
                    Path(tmp), prepared["fresh_searches"]
                ),
            }
            for name in names:
                time.sleep(2)  # what the last scenario left queued is done
                print(f"wrk {name} {urls[name]}", flush=True)
                before = report_count(args.database_url) if name == "submit" else 0
                measured = run_wrk(
                    wrk,
                    base + urls[name],
                    seconds=args.seconds,
                    connections=min(args.connections, 4)
                    if name == "submit"
                    else args.connections,
                    script=scripts.get(name),
                    headers=HEADERS.get(name),
                )
                if name == "submit":
                    # A re-rendered form is a 200 that wrk counts as success:
                    # the reports actually filed are what counts.
                    filed = report_count(args.database_url) - before
                    measured["filed"] = filed
                    if filed < measured["requests"] - measured["errors"]:
                        measured["errors"] += measured["requests"] - filed
                scenarios.append(
                    {
                        "name": name,
                        "url": urls[name],
                        "queries": prepared["queries"][name],
                        **measured,
                    }
                )
        floor = next((s["rps"] for s in scenarios if s["name"] == "healthz"), None)
        for s in scenarios:
            s["ratio"] = round(s["rps"] / floor, 3) if floor else 0.0
        first_http = {
            name: first_render_http(base, args.redis_url, urls[name])
            for name in ("home", "stats")
        }
        memory = upload_memory(base, server.pid, token)
        scored: dict[str, dict[str, Any]] = {}
        if lighthouse is not None:
            with tempfile.TemporaryDirectory() as tmp:
                for name in LIGHTHOUSE_PAGES:
                    print(f"lighthouse {name} {urls[name]}", flush=True)
                    scored[name] = {
                        "url": urls[name],
                        **run_lighthouse(lighthouse, base + urls[name], Path(tmp)),
                    }
    finally:
        server.terminate()
        server.wait(timeout=30)

    result: dict[str, Any] = {
        "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reports": prepared["reports"],
        "seed_seconds": prepared["seed_seconds"],
        "database": prepared["database"],
        "workers": args.workers,
        "seconds": args.seconds,
        "connections": args.connections,
        "cpus": os.cpu_count(),
        "scenarios": scenarios,
        "first_render_http_ms": first_http,
        "first_render_server_ms": prepared["first_render_ms"],
        "upload_memory": memory,
        "lighthouse": scored,
    }
    if not args.only:
        result["budgets"] = check_budgets(result)
    else:
        result["budgets"] = lighthouse_budgets(scored)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{result['started'].replace(':', '')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_table(result)
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
