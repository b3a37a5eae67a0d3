"""The text search index holds every character alone as well as every bigram, so
that a one-character query is one exact entry of the index instead of a prefix scan
over every bigram that starts with it (at 1,000,000 suggestions the prefix scan for
教 read 67 ms of postings; suggestions/search.py).

The functions get new names and the index is built beside the old one, which is
dropped in the same transaction: the old index stays valid for its own functions
until then, and no query ever sees an index half built with other functions. The
build blocks writes to the suggestions table while it runs (about ten minutes at a
million suggestions on two cores)."""

import importlib

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION suggestion_grams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    -- Every pair of neighbouring characters, in linear time (the pairs from the
    -- 1st, 3rd, 5th ... character, then from the 2nd, 4th ...; chr(1) separates
    -- them), and every character alone. The text's own chr(1) counts as chr(2), in
    -- the query too, so a candidate is never lost.
    SELECT array_to_tsvector(array_remove(
        regexp_split_to_array(regexp_replace(l, '(..)', '\1' || chr(1), 'g'), chr(1))
        || regexp_split_to_array(
            regexp_replace(substr(l, 2), '(..)', '\1' || chr(1), 'g'), chr(1)
        )
        || regexp_split_to_array(l, ''),
        ''
    ))
    FROM replace(lower(t), chr(1), chr(2)) AS l
$$;

CREATE OR REPLACE FUNCTION suggestion_grams(title text, body text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 20000 AS $$
    SELECT coalesce(__SCHEMA__.suggestion_grams(title), ''::tsvector)
        || coalesce(__SCHEMA__.suggestion_grams(body), ''::tsvector)
$$;

CREATE OR REPLACE FUNCTION suggestion_gram_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    -- One character: that character's entry; longer: the AND of its bigrams.
    SELECT CASE
        WHEN char_length(l) = 0 THEN NULL
        WHEN char_length(l) = 1 THEN
            ('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''')::tsquery
        ELSE (
            SELECT string_agg(
                '''' || replace(replace(substr(l, i, 2), '\', '\\'), '''', '''''')
                    || '''',
                ' & '
            )
            FROM generate_series(1, char_length(l) - 1) AS i
        )::tsquery
    END
    FROM replace(lower(q), chr(1), chr(2)) AS l
$$;
"""

BUILD = """
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX IF NOT EXISTS sugg_text_gram_idx ON suggestions_suggestion
    USING gin (suggestion_grams(title, body));
"""

DROP_OLD = """
DROP INDEX IF EXISTS sugg_text_bigram_idx;
DROP FUNCTION IF EXISTS suggestion_bigram_query(text);
DROP FUNCTION IF EXISTS suggestion_bigrams(text, text);
DROP FUNCTION IF EXISTS suggestion_bigrams(text);
"""

DROP_NEW = """
DROP INDEX IF EXISTS sugg_text_gram_idx;
DROP FUNCTION IF EXISTS suggestion_gram_query(text);
DROP FUNCTION IF EXISTS suggestion_grams(text, text);
DROP FUNCTION IF EXISTS suggestion_grams(text);
"""


def _schema(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        [schema] = cursor.fetchone()
    return schema_editor.connection.ops.quote_name(schema)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with icontains
    schema_editor.execute(FUNCTIONS.replace("__SCHEMA__", _schema(schema_editor)))
    schema_editor.execute(BUILD)
    schema_editor.execute(DROP_OLD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    previous = importlib.import_module(
        "suggestions.migrations.0003_search_and_list_indexes"
    )
    schema = _schema(schema_editor)
    schema_editor.execute(previous.POSTGRES_FUNCTIONS.replace("__SCHEMA__", schema))
    schema_editor.execute(previous.POSTGRES_INDEX)
    schema_editor.execute(DROP_NEW)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0005_own_scope_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
