"""Search: the stored search_vector also holds each pair of adjacent words.

A query of several words is a phrase ("đèn đường hỏng": the three syllables in a
row). Matched word by word, a phrase of frequent syllables makes the GIN index
return every report holding all of them anywhere (tens of thousands at a
million reports), and each must then be read to check the order. With the pairs
as lexemes of their own ("_den_duong" at the position of "den", "_duong_hong"),
the index finds the reports holding each pair, and the phrase of pairs
("_den_duong <-> _duong_hong") is exact: what the index returns is what matches.
Pairs start with "_", which no word lexeme does (the parser splits at it), so a
one-word prefix ("den:*") never reads them.

portal_search_pairs() builds them from the vector's own lexemes and positions,
so a pair is adjacent exactly when the phrase operator <-> says it is (the
title's last word and the content's first included, as before). Its body uses
pg_catalog only: a restore with an empty search_path computes it the same. The
column is generated, as before (0006), so COPY and raw SQL keep it filled. Its
expression can only change by dropping and adding it again (PostgreSQL < 17):
the table is rewritten, a few minutes at a million reports.

The GIN index covers public reports only, the ones searched: a third smaller,
and a frequent word's list of matches, which a search reads whole, as much
shorter.
"""

from django.db import migrations

CONFIG = "portal_vi"
PUNCTUATION = r"[!-/:-@\[-`{-~]+"


def _words(column):
    return f"regexp_replace(coalesce({column}, ''), '{PUNCTUATION}', ' ', 'g')"


WORDS = (
    f"setweight(to_tsvector('{CONFIG}'::regconfig, {_words('title')}), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, {_words('content')}), 'B')"
)
PAIRS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION portal_search_pairs(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT u.lexeme, x.pos, x.weight
        FROM unnest(v) AS u, unnest(u.positions, u.weights) AS x(pos, weight)
    )
    SELECT coalesce(
        string_agg(
            '''_' || a.lexeme || '_' || b.lexeme || ''':' || a.pos || a.weight,
            ' '
        ),
        ''
    )::tsvector
    FROM words AS a JOIN words AS b ON b.pos = a.pos + 1
$$
"""


# Only public reports are searched (the public list); officials filter in admin.
PUBLIC = (
    "status IN ('accepted', 'in_progress', 'resolved') "
    "AND allow_publish AND NOT is_hidden"
)


def _column(expression, index):
    return [
        "DROP INDEX IF EXISTS report_search_vector",
        "DROP INDEX IF EXISTS report_public_search",
        "ALTER TABLE feedback_report DROP COLUMN search_vector",
        "ALTER TABLE feedback_report ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED",
        index,
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PAIRS_FUNCTION)
    index = (
        "CREATE INDEX report_public_search ON feedback_report "
        f"USING gin (search_vector) WHERE {PUBLIC}"
    )
    expression = f"({WORDS}) || portal_search_pairs({WORDS})"
    for statement in _column(expression, index):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    index = (
        "CREATE INDEX report_search_vector ON feedback_report "
        "USING gin (search_vector)"
    )
    for statement in _column(WORDS, index):
        schema_editor.execute(statement)
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_search_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0020_merge_public_created_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
