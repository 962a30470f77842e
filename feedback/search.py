"""Public search: whole words and word prefixes, ignoring accents and case, ranked.

"o ga" finds "ổ gà" but not "rồ ga"; "duong" finds "đường"; the last word may be
the start of a word ("duo" finds "đường"). A Vietnamese word is one or more
syllables and accents are ignored, so the query's syllables must follow each other
in the text: "o ga" must not match "rồ ga ... ở phố" through the unrelated "ở".
On PostgreSQL through full-text search
(configuration ``portal_vi`` with unaccent, the stored ``search_vector`` column and
its GIN index, migration feedback 0006); on SQLite by matching Report.search_text
at word boundaries. Both rank matches in the title above matches in the content.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from portal.lib.text import strip_accents

Q = TypeVar("Q", bound=QuerySet[Any])
MAX_TERMS = 8
MAX_RANKED = 1_000
_TERM = re.compile(r"[0-9a-z]+")
_NOT_WORD = "[^0-9a-z]"


def terms(key: str) -> list[str]:
    """The words of an already normalised query (see feedback.models.search_key)."""
    return _TERM.findall(key)[:MAX_TERMS]


def _postgresql(reports: QuerySet[Any], words: list[str]) -> tuple[Any, Any]:
    """(the match condition's queryset, the rank expression) on PostgreSQL."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVectorField,
    )

    # Only [0-9a-z] reach the tsquery text: nothing to escape.
    raw = " <-> ".join([*words[:-1], f"{words[-1]}:*"])
    query = SearchQuery(raw, search_type="raw", config="portal_vi")
    vector = RawSQL(  # noqa: S611 - a fixed column name, no user input
        f'"{reports.model._meta.db_table}"."search_vector"',
        [],
        output_field=SearchVectorField(),
    )
    matched = reports.alias(search_vector=vector).filter(search_vector=query)
    return matched, SearchRank(vector, query, cover_density=True)


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


def _phrase(words: list[str], not_word: str) -> str:
    """The words in order, separated by non-word characters; the last one may be
    the start of a word."""
    return f"(^|{not_word})" + f"{not_word}+".join(words)


def _sqlite(reports: QuerySet[Any], words: list[str]) -> tuple[Any, Any]:
    """(the match condition's queryset, the rank expression) on SQLite."""
    # The title itself (with its accents) decides the rank: search_text has the
    # title and content run together.
    in_title = _phrase([_accented(word) for word in words], r"[\W_]")
    matched = reports.filter(search_text__regex=_phrase(words, _NOT_WORD))
    rank = Case(
        When(title__regex=in_title, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return matched, rank


def search(reports: Q, key: str) -> Q:
    """``reports`` matching every word of ``key``, annotated with ``search_rank``
    (higher is better) and ordered by it, newest first among equals.

    Only the MAX_RANKED newest matches are kept and ranked: ranking needs every
    candidate's vector, and a frequent word matches tens of thousands of reports
    at a million; the newest matches are found along the primary key's index (one
    query, run here) and the search stops there. Apply the other filters first.
    """
    words = terms(key)
    if not words:
        return reports.annotate(search_rank=Value(0, output_field=IntegerField()))
    if connection.vendor == "postgresql":
        matched, rank = _postgresql(reports, words)
    else:
        matched, rank = _sqlite(reports, words)
    # The MAX_RANKED-th newest match, if there are that many: one short index
    # scan now, so that the page and its count rank only the matches after it.
    oldest = (
        matched.order_by("-pk").values_list("pk", flat=True)[
            MAX_RANKED - 1 : MAX_RANKED
        ]
    ).first()
    if oldest is not None:
        matched = matched.filter(pk__gte=oldest)
    found = matched.annotate(search_rank=rank)
    return cast(Q, found.order_by(F("search_rank").desc(), "-pk"))
