"""Public search: whole words and word prefixes, ignoring accents and case, ranked.

"o ga" finds "ổ gà" but not "rồ ga"; "duong" finds "đường"; the last word may be
the start of a word ("duo" finds "đường"). A Vietnamese word is one or more
syllables and accents are ignored, so the query's syllables must follow each other
in the text: "o ga" must not match "rồ ga ... ở phố" through the unrelated "ở".
On PostgreSQL through full-text search (configuration ``portal_vi`` with unaccent,
migrations feedback 0006, 0021 and 0022): public reports' vectors, with the list's
filters, are in the narrow table feedback_report_search (SearchEntry, kept by
triggers) and its GIN index. One word is looked up as itself, several as the
phrase of their adjacent pairs ("den duong hong": "_den_duong <-> _duong_hong"),
which the vector holds as lexemes of their own. On SQLite by matching
Report.search_text at word boundaries. ranked() puts reports with the last word
whole before those where it starts a longer word, then matches in the title above
matches in the content, on both.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple, TypeVar, cast, overload

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    FloatField,
    IntegerField,
    Max,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from portal.lib.text import strip_accents

Q = TypeVar("Q", bound=QuerySet[Any])
MAX_TERMS = 8
# The newest matches ranked (15 pages of the list): what finding and ranking them
# costs grows with how many are wanted; see README, "Search".
MAX_RANKED = 300
# Where the newest matches are looked for first, in primary keys back from the
# newest report: as far as the planner's estimate says (PostgreSQL; at least
# MIN_WINDOW) or FIRST_WINDOW; then as far as the matches found so far say is
# enough, at most WINDOW_GROWTH times as far each time, up to every report.
FIRST_WINDOW = 1 << 15
MIN_WINDOW = 1 << 12
WINDOW_GROWTH = 8
# What finding the newest matches costs, in µs, measured at a million reports
# (625,000 public) on the search table: walking its primary key's index back
# from the newest report reads every public report on the way (WALK_US per
# primary key walked back); the search index reads every match of the word
# (INDEX_US: a whole word is one entry, a prefix a range of them), then the
# table reads the matches in the range of primary keys (READ_US, a page each).
WALK_US = 0.46
INDEX_US = {False: 0.1, True: 0.27}  # by prefix
READ_US = 3.0
BITMAP_WORK_MEM = "32MB"
_TERM = re.compile(r"[0-9a-z]+")
_NOT_WORD = "[^0-9a-z]"


def terms(key: str) -> list[str]:
    """The words of an already normalised query (see feedback.models.search_key)."""
    return _TERM.findall(key)[:MAX_TERMS]


def _lexemes(words: list[str], prefix: bool = True) -> list[str]:
    """What the index is asked for: the word, or each pair of adjacent words;
    the last one a prefix unless ``prefix`` is false."""
    if len(words) == 1:
        units = list(words)
    else:
        units = [f"_{first}_{second}" for first, second in pairwise(words)]
    return [*units[:-1], units[-1] + (":*" if prefix else "")]


def tsquery(words: list[str], prefix: bool = True) -> str:
    """The query as PostgreSQL tsquery text: "duong:*", "_o_ga:*",
    "_den_duong <-> _duong_hong:*" (the last word a prefix unless ``prefix`` is
    false).

    Written as lexemes, not parsed again by to_tsquery (whose parser would split
    "_den_duong" at the underscores); only [0-9a-z] reach it, nothing to escape.
    """
    return " <-> ".join(_lexemes(words, prefix))


# SearchEntry's vector (PostgreSQL).
_COLUMN = '"feedback_report_search"."vector"'


def _matching(reports: QuerySet[Any], query: str) -> QuerySet[Any]:
    # Fixed SQL around one parameter: no user input in the SQL text itself.
    matches = RawSQL(  # noqa: S611
        f"{_COLUMN} @@ %s::tsquery", [query], output_field=BooleanField()
    )
    return reports.filter(matches)


def _postgresql(
    reports: QuerySet[Any], words: list[str], prefix: bool
) -> tuple[Any, Any]:
    """(the match condition's queryset, the rank expression) on PostgreSQL."""
    query = tsquery(words, prefix)
    # ts_rank, not ts_rank_cd: the pairs already say the words are together, and
    # it costs a quarter as much per report.
    rank = RawSQL(  # noqa: S611
        f"ts_rank({_COLUMN}, %s::tsquery)", [query], output_field=FloatField()
    )
    return _matching(reports, query), rank


def _letter_classes() -> dict[str, str]:
    """'o' -> '[oòóỏõọôồ...]': every letter (Latin, with or without Vietnamese
    marks) grouped under the plain letter it folds to."""
    groups: dict[str, set[str]] = {}
    for code in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        plain = strip_accents(char).lower()
        if len(plain) == 1 and plain.isalnum() and char.isalpha():
            cases = {char, char.lower(), char.upper()}
            groups.setdefault(plain, set()).update(c for c in cases if len(c) == 1)
    return {plain: f"[{''.join(sorted(chars))}]" for plain, chars in groups.items()}


_LETTERS = _letter_classes()


def _accented(word: str) -> str:
    return "".join(_LETTERS.get(char, char) for char in word)


def _phrase(words: list[str], not_word: str, prefix: bool) -> str:
    """The words in order, separated by non-word characters; the last one may be
    the start of a word if ``prefix``."""
    end = "" if prefix else f"({not_word}|$)"
    return f"(^|{not_word})" + f"{not_word}+".join(words) + end


def _sqlite(reports: QuerySet[Any], words: list[str], prefix: bool) -> tuple[Any, Any]:
    """(the match condition's queryset, the rank expression) on SQLite."""
    # The title itself (with its accents) decides the rank: search_text has the
    # title and content run together.
    in_title = _phrase([_accented(word) for word in words], r"[\W_]", prefix)
    matched = reports.filter(search_text__regex=_phrase(words, _NOT_WORD, prefix))
    rank = Case(
        When(title__regex=in_title, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return matched, rank


def _found(reports: Q, words: list[str], prefix: bool = True) -> Q:
    if connection.vendor == "postgresql":
        matched, rank = _postgresql(reports, words, prefix)
    else:
        matched, rank = _sqlite(reports, words, prefix)
    return cast(Q, matched.annotate(search_rank=rank))


def _whole(reports: QuerySet[Any], words: list[str]) -> Any:
    """Whether a report has the last word whole, not only as a word's start."""
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611 - fixed SQL, one parameter
            f"{_COLUMN} @@ %s::tsquery",
            [tsquery(words, prefix=False)],
            output_field=BooleanField(),
        )
    return Case(
        When(search_text__regex=_phrase(words, _NOT_WORD, prefix=False), then=True),
        default=False,
        output_field=BooleanField(),
    )


class Ranked(Sequence[Any]):
    """The ranked matches of a search, as a paginator takes them: their number
    is known, and a page's reports are read when it is shown (one query)."""

    def __init__(self, reports: QuerySet[Any], pks: list[int], more: bool) -> None:
        self.reports = reports
        self.pks = pks
        self.more = more  # there were more matches than MAX_RANKED

    def __len__(self) -> int:
        return len(self.pks)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            at = range(len(self.pks))[index]  # IndexError as a list gives it
            return self[at : at + 1][0]
        pks = self.pks[index]
        found = self.reports.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])


# The planner's estimates by query, kept for ESTIMATE_SECONDS in this process:
# they come from the table's statistics, which change only when it is analysed
# (autovacuum: after a tenth of the table has changed), and each costs a round
# trip and a plan (up to ~20 ms while the statistics are loaded).
ESTIMATE_SECONDS = 300
_ESTIMATES: dict[tuple[str, tuple[Any, ...]], tuple[float, int]] = {}
_ESTIMATES_KEPT = 4096


def _planned_rows(sql: str, params: tuple[Any, ...]) -> int:
    now = time.monotonic()
    kept = _ESTIMATES.get((sql, params))
    if kept is not None and now - kept[0] < ESTIMATE_SECONDS:
        return kept[1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # our own SQL
        row = cursor.fetchone()
    rows = int(row[0][0]["Plan"]["Plan Rows"]) if row else 0
    if len(_ESTIMATES) >= _ESTIMATES_KEPT:
        _ESTIMATES.clear()
    _ESTIMATES[(sql, params)] = (now, rows)
    return rows


class Estimate(NamedTuple):
    matches: int  # reports matching the query
    entries: int  # entries of the search index read to find them


def _estimate(reports: QuerySet[Any], words: list[str], prefix: bool) -> Estimate:
    """The planner's estimates of the number of matches and of the index's
    entries read: PostgreSQL keeps the frequencies of the commonest lexemes
    with the table's statistics.

    For a phrase, the matches are the smallest estimate of its pairs, each asked
    alone: the planner multiplies the pairs' frequencies as if they were
    independent, and the pairs of one phrase are anything but (ten times too
    few, measured), which would make the range searched far too long. The index
    reads every pair's entries: their sum.
    """
    estimates = []
    for lexeme in _lexemes(words, prefix):
        sql, params = _matching(reports, lexeme).values("pk").query.sql_with_params()
        estimates.append(_planned_rows(sql, tuple(params)))
    return Estimate(matches=min(estimates), entries=sum(estimates))


def _newest(scope: QuerySet[Any], limit: int, *, walk: bool) -> list[Any]:
    """(pk, rank, whole) of the ``limit`` newest reports of ``scope``, newest
    first.

    On PostgreSQL the plan is chosen here, not by the planner, whose costs
    misjudge both ways at a million reports: a frequent word is found by
    walking the primary key's index back from the newest report (``walk``),
    reading a few thousand reports; any other through the search index's
    matches intersected with the range of primary keys (a walk would read tens
    of thousands of older, colder rows to find them).
    """
    fields = ("pk", "search_rank", "search_whole")
    newest = scope.order_by("-pk").values_list(*fields)[:limit]
    if connection.vendor != "postgresql":
        return list(newest)
    # Settings of this transaction only (set_config(..., true) is SET LOCAL).
    # A frequent word's bitmap of ~100,000 matches outgrows the default 4 MB of
    # work_mem and turns lossy: every row of its pages is then checked again.
    plan = [f"enable_{'bitmapscan' if walk else 'indexscan'}", "off"]
    if not walk:
        plan += ["work_mem", BITMAP_WORK_MEM]
    with transaction.atomic(), connection.cursor() as cursor:
        calls = ", ".join(["set_config(%s, %s, true)"] * (len(plan) // 2))
        cursor.execute(f"SELECT {calls}", plan)
        return list(newest)


def _index_us(estimated: Estimate, *, prefix: bool) -> float:
    return estimated.entries * INDEX_US[prefix]


def _walk_is_cheaper(
    reach: int, estimated: Estimate, *, wanted: int, prefix: bool
) -> bool:
    """Walking ``reach`` reports back against reading the index's entries and
    the ``wanted`` matches from the table (see WALK_US)."""
    return reach * WALK_US <= _index_us(estimated, prefix=prefix) + wanted * READ_US


def _read_all_is_cheaper(estimated: Estimate, found: int, *, prefix: bool) -> bool:
    """Reading every match left from the table (at most the estimate less the
    ``found`` ones) costs less than reading the index's entries once more,
    which a step after a range too short does."""
    left = max(estimated.matches - found, 0)
    return left * READ_US <= _index_us(estimated, prefix=prefix)


def _newest_matches(
    reports: QuerySet[Any],
    words: list[str],
    *,
    prefix: bool,
    estimated: Estimate | None,
    top: int,
    wanted: int,
) -> list[Any]:
    """(pk, rank, whole) of the ``wanted`` newest matches, newest first (fewer
    if there are not so many), looked for among the newest primary keys: as far
    back as the planner's estimate of the matches says they lie, then, if they
    were not all there, further back: only the older primary keys not yet
    searched, each step's matches following the last's."""
    found = _found(reports, words, prefix)
    whole = _whole(reports, words) if prefix else Value(True)
    found = found.annotate(search_whole=whole)
    if estimated is None:  # no planner: FIRST_WINDOW, then by what is found
        reach, window = FIRST_WINDOW, FIRST_WINDOW
    else:
        # How many reports lie back to the wanted matches, by the estimate.
        reach = top * wanted // max(estimated.matches, 1)
        window = max(MIN_WINDOW, reach * 2)
    rows: list[Any] = []
    searched = 0  # every match with a primary key above top - searched is in rows
    while True:
        walk = estimated is not None and _walk_is_cheaper(
            reach - searched, estimated, wanted=wanted - len(rows), prefix=prefix
        )
        if (
            not walk
            and estimated is not None
            and _read_all_is_cheaper(estimated, len(rows), prefix=prefix)
        ):
            window = top  # all the older reports in one step
        scope = found if window >= top else found.filter(pk__gt=top - window)
        if searched:
            scope = scope.filter(pk__lte=top - searched)
        rows += _newest(scope, wanted - len(rows), walk=walk)
        if len(rows) >= wanted or window >= top:
            return rows
        # Not all there: how far back they lie by the density found so far
        # (with a margin; none found, WINDOW_GROWTH times as far).
        searched = window
        reach = window * wanted // len(rows) if rows else window * WINDOW_GROWTH
        window = max(window * 3 // 2, min(reach * 5 // 4, window * WINDOW_GROWTH))


def _scope(reports: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    """What is searched: on PostgreSQL the public reports' SearchEntry rows with
    the same ``filters``, on SQLite ``reports`` themselves."""
    if connection.vendor != "postgresql":
        return reports
    from feedback.models import SearchEntry  # the models import this module

    return SearchEntry.objects.filter(**filters)


def ranked(
    reports: QuerySet[Any], key: str, filters: dict[str, Any] | None = None
) -> Ranked | None:
    """The MAX_RANKED newest public reports matching ``key``, best first; None if
    ``key`` has no words to search.

    ``reports`` are the public reports with ``filters`` applied (their names
    are SearchEntry's fields as well as Report's: status, category, commune):
    on PostgreSQL the matches are found in SearchEntry, which holds public
    reports only, with the same filters, and a page's reports read from
    ``reports``.

    Best first: reports with the last word whole ("ga" as "gà") before those
    with a longer word that starts with it ("gạch"), then by rank, then newest
    (the primary key, as for which are the newest), among the newest matches.
    A word whole in more than MAX_RANKED reports (by the planner's estimate,
    then counted) is looked for whole only: one entry of the search index, a
    third of the cost of a prefix.

    A frequent word matches tens of thousands of reports at a million: ranking
    them all reads every one. Only the newest are ranked, found within a range
    of the newest primary keys (see _newest_matches) so that only the matches in
    it are read: their rank comes in the same query, and the order is made here.
    """
    words = terms(key)
    if not words:
        return None
    wanted = MAX_RANKED + 1  # one more says whether there are more
    scope = _scope(reports, filters or {})
    top = scope.model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    postgresql = connection.vendor == "postgresql"
    rows: list[Any] = []
    if postgresql and (as_words := _estimate(scope, words, False)).matches >= wanted:
        rows = _newest_matches(
            scope, words, prefix=False, estimated=as_words, top=top, wanted=wanted
        )
    if len(rows) < wanted:  # few whole (or no estimate): the prefix too
        started = _estimate(scope, words, True) if postgresql else None
        rows = _newest_matches(
            scope, words, prefix=True, estimated=started, top=top, wanted=wanted
        )
    best = sorted(((whole, rank, pk) for pk, rank, whole in rows), reverse=True)
    pks = [pk for _whole, _rank, pk in best[:MAX_RANKED]]
    return Ranked(reports, pks, more=len(rows) > MAX_RANKED)
