"""Profile one page in-process: `python bench/profile_page.py URL [--requests N]`.

Runs with the bench's production environment (bench/run.py's bench_env: DEBUG=0,
PostgreSQL portal_bench, Redis) through Django's test client, warm, as wrk would
ask for it: no cookies, so every request is a new anonymous visitor. Prints the
mean time per request, the SQL queries of one request with their times, and
cProfile's top entries by cumulative and by own time. Used for the README's
performance section.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    from bench.run import add_store_arguments, bench_env

    add_store_arguments(parser)
    args = parser.parse_args()

    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update(bench_env(args, var))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def fetch() -> None:
        client.cookies.clear()
        response = client.get(args.url)
        if response.status_code != 200:
            sys.exit(f"{args.url} answered {response.status_code}")

    for _ in range(20):  # templates, connections and caches warm
        fetch()
    with CaptureQueriesContext(connection) as queries:
        fetch()
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        fetch()
    profile.disable()
    elapsed = (time.perf_counter() - started) * 1000 / args.requests
    print(f"{args.url}: {elapsed:.2f} ms per request under cProfile")
    print(f"{len(queries)} SQL queries:")
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
