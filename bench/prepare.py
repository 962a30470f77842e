"""The benchmark's Django side, run by bench/run.py with the bench environment.

Makes sure the data set is there (seed_bulk up to --reports), creates the one
report with attachments, picks the URLs, and counts the SQL queries of each
scenario through Django's test client (warm caches, as under load). Also times
the first render of / and /thong-ke/ right after a cache clear, in-process
(server time, no network). Prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.payloads import form_fields, photo  # noqa: E402
from feedback import demo, services  # noqa: E402
from feedback.bulk import seed_bulk  # noqa: E402
from feedback.models import Report, Status, search_key  # noqa: E402

MARK = "Phản ánh mẫu đo hiệu năng có ảnh đính kèm"
SEARCH_TERM = "rac thai"
# Where three demo places' pins overlap (demo.PLACE_POINTS[1:4], Phan Rang): the
# densest spot of the bulk data set.
NEARBY = (11.5660, 108.9920)
# The public map over the whole mainland province at a low zoom: grid cells.
MAP_VIEW = {"south": 11.20, "west": 108.30, "north": 12.95, "east": 109.60}
MAP_ZOOM = 9


FRESH_SEARCHES = 300


def fresh_searches(count: int = FRESH_SEARCHES, seed: int = 7) -> list[str]:
    """Searches as citizens type them, for the uncached search scenario: one to
    three words in a row from the data set's titles, texts and places (frequent
    and rare phrases, the last word sometimes cut short, as when typing), and a
    few that match nothing. The same list every run."""
    import random

    chance = random.Random(seed)  # noqa: S311 - a fixed sample, not a secret
    texts = [
        text
        for _agency, issues in demo.ISSUES.values()
        for title, content in issues
        for text in (title.format(place=""), content)
    ] + demo.PLACES
    searches: list[str] = []
    while len(searches) < count:
        words = search_key(chance.choice(texts)).split()
        size = chance.choice((1, 2, 2, 3))
        start = chance.randrange(max(1, len(words) - size + 1))
        phrase = words[start : start + size]
        if not phrase:
            continue
        if chance.random() < 0.2 and len(phrase[-1]) > 2:  # still typing
            phrase[-1] = phrase[-1][: chance.randrange(2, len(phrase[-1]))]
        if chance.random() < 0.05:  # no report says this
            phrase = [*phrase, "khong", "co", "dau"]
        searches.append("+".join(phrase))
    return searches


def ensure_reports(target: int) -> float | None:
    have = Report.objects.count()
    if have >= target:
        return None
    started = time.monotonic()
    print(f"seed_bulk: {have} -> {target} phản ánh…", file=sys.stderr)
    with tqdm(total=target - have, file=sys.stderr, mininterval=1) as bar:
        seed_bulk(
            count=target - have,
            progress=bar.update,
            log=lambda line: bar.write(line, file=sys.stderr),
        )
    print(f"seed_bulk: {time.monotonic() - started:.0f} s", file=sys.stderr)
    return time.monotonic() - started


def report_with_files() -> Report:
    report = Report.objects.filter(title=MARK).first()
    if report is not None:
        return report
    pdf = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"
    report = services.submit_report(
        data={**form_fields(), "title": MARK, "allow_publish": True},
        files=[
            SimpleUploadedFile("anh.jpg", photo(300_000), "image/jpeg"),
            SimpleUploadedFile("bien-ban.pdf", pdf, "application/pdf"),
        ],
        user=None,
    )
    report.transition(Status.ACCEPTED, by=None)
    report.transition(Status.IN_PROGRESS, by=None)
    report.transition(Status.RESOLVED, by=None, note="Đã xử lý xong (đo hiệu năng).")
    Report.objects.filter(pk=report.pk).update(is_published=True)
    return report


def count_queries(client: Client, method: str, url: str, **kwargs: Any) -> int:
    getattr(client, method)(url, **kwargs)  # warm: caches, visitor cookie
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(queries)


def first_render_ms(client: Client, url: str) -> float:
    client.get(url)  # templates and connections warm, as in a running worker
    cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return round(elapsed, 1)


def main() -> None:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed_seconds = ensure_reports(target)
    with_files = report_with_files()
    plain = Report.objects.published().exclude(pk=with_files.pk).order_by("-pk").first()
    assert plain is not None, "no published report: is the data set empty?"
    urls = {
        "healthz": "/healthz",
        "home": "/",
        "stats": "/thong-ke/",
        "list": "/phan-anh/",
        "search": f"/phan-anh/?q={SEARCH_TERM.replace(' ', '+')}",
        "report": f"/phan-anh/{plain.code}/",
        "report_files": f"/phan-anh/{with_files.code}/",
        "nearby": f"/phan-anh/gan-day.json?lat={NEARBY[0]}&long={NEARBY[1]}&radius=200",
        "map": "/ban-do/du-lieu.json?" + urlencode({**MAP_VIEW, "zoom": MAP_ZOOM}),
        # As clients ask for it (Accept-Encoding: gzip, see bench/run.py), and
        # without, which is bandwidth: 1000 reports are ~750 KB of JSON.
        "open311_list": "/open311/v2/requests.json",
        "open311_list_plain": "/open311/v2/requests.json",
        "home_gzip": "/",
        "submit": "/gui-phan-anh/",
        # Last: its slow queries must not run into the next scenario. wrk's script
        # (bench/run.py) asks for a different search each time.
        "search_fresh": f"/phan-anh/?q={SEARCH_TERM.replace(' ', '+')}&lan=0",
        # Pages only Lighthouse opens (bench/run.py), not a wrk scenario.
        "map_page": "/ban-do/",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {
        name: count_queries(client, "get", url)
        for name, url in urls.items()
        if name not in ("submit", "map_page")
    }
    image = photo()
    queries["submit"] = count_queries(
        client,
        "post",
        urls["submit"],
        data={
            **form_fields(),
            "attachments": [SimpleUploadedFile("anh.jpg", image, "image/jpeg")],
        },
    )
    first = {
        "home": first_render_ms(client, urls["home"]),
        "stats": first_render_ms(client, urls["stats"]),
    }
    json.dump(
        {
            "reports": Report.objects.count(),
            "seed_seconds": seed_seconds,
            "urls": urls,
            "queries": queries,
            "first_render_ms": first,
            "search_term": SEARCH_TERM,
            "fresh_searches": fresh_searches(),
            "database": connection.vendor,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
