"""Public search finds whole words and word prefixes, not fragments, ranked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from feedback.models import Report
from tests.factories import ReportFactory

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
    ReportFactory(
        published=True, title="Cây xanh ngã đổ", content="Gần chợ, chắn lối đi."
    )
    ReportFactory(
        published=True, title="Chợ Phan Rang ngập rác", content="Rác để nhiều ngày."
    )
    assert _titles(client, "cho") == ["Chợ Phan Rang ngập rác", "Cây xanh ngã đổ"]
    ranked = list(Report.objects.search("chợ").values_list("title", "search_rank"))
    assert ranked[0][1] > ranked[1][1]


@pytest.mark.django_db
def test_search_reads_an_index_not_every_row(reports: None) -> None:
    sql, params = Report.objects.search("o ga").query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)  # our own query's SQL
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "report_search_vector" in plan
    else:
        assert "search_text" in sql  # SQLite: word-boundary match on search_text


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
