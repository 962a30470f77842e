"""Public search finds whole words and word prefixes, not fragments, ranked."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback import search
from feedback.models import Report, Status, search_key
from places.models import AdministrativeUnit
from tests.factories import CategoryFactory, ReportFactory

URL = "/phan-anh/"


def _titles(client: Client, query: str) -> list[str]:
    page = client.get(URL, {"q": query}).context["page"]
    return [report.title for report in page.object_list]


@pytest.fixture
def reports(db: None) -> None:
    ReportFactory(
        published=True, title="Ổ gà sâu trên đường 16/4", content="Xe máy dễ ngã."
    )
    ReportFactory(
        published=True,
        title="Thanh niên rồ ga lúc nửa đêm",
        content="Tiếng ồn ở phố Thống Nhất.",
    )
    ReportFactory(
        published=True, title="Đèn đường hỏng ở Mỹ Hải", content="Tối om cả khu."
    )


@pytest.mark.django_db
def test_o_ga_finds_potholes_not_street_racing(client: Client, reports: None) -> None:
    # The racing report has "ga" and "ở" (-> "o") too, just not as "o ga".
    assert _titles(client, "o ga") == ["Ổ gà sâu trên đường 16/4"]
    assert _titles(client, "ổ gà") == ["Ổ gà sâu trên đường 16/4"]
    assert _titles(client, "ro ga") == ["Thanh niên rồ ga lúc nửa đêm"]


@pytest.mark.django_db
def test_words_without_accents_find_words_with_them(
    client: Client, reports: None
) -> None:
    assert set(_titles(client, "duong")) == {
        "Ổ gà sâu trên đường 16/4",
        "Đèn đường hỏng ở Mỹ Hải",
    }
    assert _titles(client, "ĐÈN  ĐƯỜNG") == ["Đèn đường hỏng ở Mỹ Hải"]


@pytest.mark.django_db
def test_last_word_may_be_a_prefix_but_never_a_fragment(
    client: Client, reports: None
) -> None:
    assert _titles(client, "den duo") == ["Đèn đường hỏng ở Mỹ Hải"]
    assert _titles(client, "thong nh") == ["Thanh niên rồ ga lúc nửa đêm"]
    assert _titles(client, "uong") == []  # inside "đường": not a word
    assert _titles(client, "du hai") == []  # only the last word is a prefix
    assert _titles(client, "ga o") == []  # syllables in the query's order
    assert _titles(client, "!!! ...") != []  # no words: no search, all listed


@pytest.mark.django_db
def test_title_matches_rank_above_content_matches(client: Client) -> None:
    # The title match is the older: only its rank puts it first.
    ReportFactory(
        published=True, title="Chợ Phan Rang ngập rác", content="Rác để nhiều ngày."
    )
    ReportFactory(
        published=True, title="Cây xanh ngã đổ", content="Gần chợ, chắn lối đi."
    )
    assert _titles(client, "cho") == ["Chợ Phan Rang ngập rác", "Cây xanh ngã đổ"]


@pytest.mark.django_db
def test_search_reads_an_index_not_every_row() -> None:
    words = search.terms(search_key("o ga"))
    scope = search._scope(Report.objects.public(), {})
    if connection.vendor != "postgresql":
        sql, _params = search._found(scope, words).query.sql_with_params()
        assert "search_text" in sql  # SQLite: word-boundary match on search_text
        return
    # Enough reports, analysed, for the planner to choose as it does at scale.
    call_command("seed_bulk", "--reports", "3000", stdout=StringIO(), stderr=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_report_search")
        for query in ("o ga", "den duong hong"):
            words = search.terms(search_key(query))
            found = search._found(scope, words)
            sql, params = found.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)  # our own query's SQL
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # The GIN index of the search table, which holds public reports only.
            assert "Bitmap Index Scan on report_public_search" in plan, plan


@pytest.mark.django_db
def test_status_filter_offers_only_what_public_reports_can_be(client: Client) -> None:
    form = client.get(URL).context["form"]
    offered = [value for value, _label in form.fields["status"].choices if value]
    assert offered == ["accepted", "in_progress", "resolved"]


@pytest.mark.django_db
def test_only_the_newest_matches_are_ranked(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("feedback.search.MAX_RANKED", 2)
    for n in range(3):
        ReportFactory(published=True, title=f"Rác thải tồn đọng số {n}")
    ReportFactory(published=True, title="Cây xanh ngã đổ")
    response = client.get(URL, {"q": "rac thai"})
    page = response.context["page"]
    assert {r.title for r in page.object_list} == {
        "Rác thải tồn đọng số 1",
        "Rác thải tồn đọng số 2",
    }
    # Three match, two are ranked: the page does not claim there are two.
    status = response.content.decode().split('role="status">')[1].split("</p>")[0]
    assert status.startswith("Hơn 2 phản ánh phù hợp")


@pytest.mark.django_db
def test_fewer_matches_than_the_cap_are_counted_exactly(client: Client) -> None:
    for n in range(3):
        ReportFactory(published=True, title=f"Rác thải tồn đọng số {n}")
    html = client.get(URL, {"q": "rac thai"}).content.decode()
    assert '<p role="status">3 phản ánh</p>' in html


@pytest.mark.django_db
def test_a_phrase_is_its_words_in_a_row_not_its_pairs_anywhere(client: Client) -> None:
    # "đèn đường" and "đường hỏng" both occur, never the three words in a row.
    ReportFactory(
        published=True,
        title="Đèn đường khu A tắt",
        content="Mặt đường hỏng nặng, đèn đường chập chờn.",
    )
    ReportFactory(published=True, title="Cả dãy đèn đường hỏng", content="Tối.")
    assert _titles(client, "den duong hong") == ["Cả dãy đèn đường hỏng"]
    assert _titles(client, "den duong ho") == ["Cả dãy đèn đường hỏng"]
    assert set(_titles(client, "duong hong")) == {
        "Đèn đường khu A tắt",
        "Cả dãy đèn đường hỏng",
    }
    assert _titles(client, "hong den") == []  # "hỏng, đèn": order kept, no pair


@pytest.mark.django_db
def test_reports_written_without_save_are_found_by_their_phrases(
    client: Client,
) -> None:
    report = ReportFactory(published=True, title="Cây xanh ngã", content="Chắn lối.")
    Report.objects.filter(pk=report.pk).update(
        title="Nắp cống bị mất", content="Nguy hiểm cho xe máy."
    )
    if connection.vendor == "sqlite":  # search_text is filled by save() there
        Report.objects.get(pk=report.pk).save()
    assert _titles(client, "nap cong bi") == ["Nắp cống bị mất"]
    assert _titles(client, "cay xanh") == []


def _small_windows(
    monkeypatch: pytest.MonkeyPatch,
    *,
    ranked: int,
    walk_cost: int,
    estimate: int | None,
) -> None:
    """A handful of reports needs several steps: tiny windows and cap, the walk
    always (0) or never (10**9) cheaper, and the planner's estimate as given
    (None: PostgreSQL's own; SQLite has none)."""
    monkeypatch.setattr("feedback.search.MAX_RANKED", ranked)
    monkeypatch.setattr("feedback.search.FIRST_WINDOW", 2)
    monkeypatch.setattr("feedback.search.MIN_WINDOW", 1)
    monkeypatch.setattr("feedback.search.WINDOW_GROWTH", 2)
    monkeypatch.setattr("feedback.search.WALK_US", walk_cost)
    if estimate is not None:
        guess = search.Estimate(matches=estimate, entries=estimate)
        monkeypatch.setattr("feedback.search._estimate", lambda *args: guess)


@pytest.mark.django_db
@pytest.mark.parametrize("estimate", [None, 10**9, 0])
@pytest.mark.parametrize("walk_cost", [0, 10**9])  # always walk, never walk
def test_the_newest_matches_are_found_beyond_the_first_window(
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    estimate: int | None,
    walk_cost: int,
) -> None:
    # Whatever the planner estimates (here also far too many or none at all)
    # and whichever way the matches are looked for, the newest are found.
    _small_windows(monkeypatch, ranked=2, walk_cost=walk_cost, estimate=estimate)
    for n in range(3):
        ReportFactory(published=True, title=f"Rác thải tồn đọng số {n}")
    for _ in range(5):  # the newest primary keys hold no match
        ReportFactory(published=True, title="Cây xanh ngã đổ")
    response = client.get(URL, {"q": "rac thai"})
    titles = [r.title for r in response.context["page"].object_list]
    assert titles == ["Rác thải tồn đọng số 2", "Rác thải tồn đọng số 1"]
    assert response.context["capped"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("walk_cost", [0, 10**9])  # always walk, never walk
def test_each_step_searches_only_older_reports_than_the_last(
    client: Client, monkeypatch: pytest.MonkeyPatch, walk_cost: int
) -> None:
    # A step that found too few goes on where it stopped: the next reads no
    # report the last one read, and the matches add up in order.
    _small_windows(monkeypatch, ranked=3, walk_cost=walk_cost, estimate=10**9)
    steps: list[list[int]] = []
    newest = search._newest

    def recorded(scope: Any, limit: int, *, walk: bool) -> list[Any]:
        rows = newest(scope, limit, walk=walk)
        steps.append([row[0] for row in rows])
        return rows

    monkeypatch.setattr("feedback.search._newest", recorded)
    matches = []
    for n in range(6):
        matches.append(ReportFactory(published=True, title=f"Rác thải số {n}").pk)
        for _ in range(n):  # ever fewer matches further back
            ReportFactory(published=True, title="Cây xanh ngã đổ")
    response = client.get(URL, {"q": "rac thai"})
    assert len(steps) > 1
    found = [pk for step in steps for pk in step]
    assert len(found) == len(set(found))  # no report read twice
    assert found == sorted(matches, reverse=True)[:4]  # MAX_RANKED + 1, in order
    assert response.context["capped"] is True


@pytest.mark.django_db
def test_walking_and_the_index_find_the_same_newest_matches() -> None:
    if connection.vendor == "postgresql":  # the plans are PostgreSQL's
        call_command(
            "seed_bulk", "--reports", "2000", stdout=StringIO(), stderr=StringIO()
        )
    else:  # seed_bulk is PostgreSQL's; SQLite has one plan, the same answer
        for n in range(60):
            title = "Đèn đường hỏng" if n % 3 else f"Rác thải ở ổ gà số {n}"
            ReportFactory(published=True, title=title)
    for query in ("rac thai", "duong", "o ga", "den duong hong"):
        words = search.terms(search_key(query))
        scope = search._scope(Report.objects.public(), {})
        whole = search._whole(scope, words)
        found = search._found(scope, words).annotate(search_whole=whole)
        walked = search._newest(found, 50, walk=True)
        indexed = search._newest(found, 50, walk=False)
        assert walked == indexed
        assert walked == sorted(walked, reverse=True)
        assert len(walked) == min(50, found.count())


@pytest.mark.django_db
def test_pages_of_results_follow_the_rank_without_gaps(client: Client) -> None:
    for n in range(23):
        ReportFactory(published=True, title=f"Rác thải số {n}", content="Bẩn.")
    for n in range(3):
        ReportFactory(published=True, title=f"Bãi đất {n}", content="Có rác thải.")
    first = client.get(URL, {"q": "rac thai"}).context["page"]
    second = client.get(URL, {"q": "rac thai", "page": 2}).context["page"]
    titles = [r.title for r in [*first.object_list, *second.object_list]]
    assert first.paginator.count == 26
    assert len(titles) == len(set(titles)) == 26
    # Title matches first, newest first; then the content matches.
    assert titles[:23] == [f"Rác thải số {n}" for n in reversed(range(23))]
    assert titles[23:] == [f"Bãi đất {n}" for n in reversed(range(3))]


@pytest.mark.django_db
def test_a_search_page_takes_a_fixed_number_of_queries(
    client: Client, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(30):
        ReportFactory(published=True, title=f"Rác thải số {n}")
    # The newest primary key, the planner's estimates of the whole words' and
    # the prefix's matches, the matches with their rank (with its plan's
    # settings in a (sub)transaction of its own: three statements), the page's
    # reports, the filter menus (a first render), and the footer's counters and
    # links. SQLite has no estimate or settings.
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "rac thai"})
    assert len(response.context["page"].object_list) == 20


@pytest.mark.django_db
def test_the_planner_s_estimate_is_asked_once_for_a_while(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # every request searches
    search._ESTIMATES.clear()
    ReportFactory(published=True, title="Rác thải tồn đọng")

    def explains() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(URL, {"q": "rac thai"}).context["page"]
        assert [r.title for r in page.object_list] == ["Rác thải tồn đọng"]
        return sum(q["sql"].startswith("EXPLAIN") for q in queries.captured_queries)

    if connection.vendor != "postgresql":  # no planner to ask
        assert explains() == 0
        return
    assert explains() == 2  # the whole words' estimate, then the prefix's
    assert explains() == 0
    monkeypatch.setattr("feedback.search.ESTIMATE_SECONDS", 0)
    assert explains() == 2


@pytest.mark.django_db
def test_a_search_keeps_the_list_s_filters(client: Client, settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # the raw update below bumps no cached list
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    waste = CategoryFactory(name="Môi trường", slug="moi-truong")
    here, there = (
        AdministrativeUnit.objects.create(
            code=code, name=name, type="xã", short_codename=code,
            province_code=settings.PORTAL_PROVINCE_CODE,
            province_name="Tỉnh Khánh Hòa",
        )
        for code, name in (("99901", "Xã Thử Một"), ("99902", "Xã Thử Hai"))
    )  # fmt: skip
    road = ReportFactory(
        published=True, title="Ổ gà trên đường", category=roads, commune=here
    )
    ReportFactory(
        status=Status.IN_PROGRESS,
        title="Ổ gà đầu hẻm",
        category=roads,
        commune=there,
    )
    ReportFactory(published=True, title="Ổ gà cạnh bãi rác", category=waste)

    def found(**filters: Any) -> set[str]:
        page = client.get(URL, {"q": "o ga", **filters}).context["page"]
        return {report.title for report in page.object_list}

    assert found(category=roads.pk) == {"Ổ gà trên đường", "Ổ gà đầu hẻm"}
    assert found(category=roads.pk, status=Status.RESOLVED) == {"Ổ gà trên đường"}
    assert found(commune=there.pk) == {"Ổ gà đầu hẻm"}
    assert found(category=waste.pk, commune=here.pk) == set()
    # The filters are the report's as they are now, however they were changed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_report SET category_id = %s, commune_id = %s "
            "WHERE id = %s",
            [waste.pk, there.pk, road.pk],
        )
    assert found(category=waste.pk, commune=there.pk) == {"Ổ gà trên đường"}
    assert found(category=roads.pk) == {"Ổ gà đầu hẻm"}
