"""Indexes for the lists at any depth, the overdue-now partial index, and on
PostgreSQL the character-bigram text search (``suggestions/search.py``)."""

from django.conf import settings
from django.db import migrations, models


# The bigram functions and the GIN index (PostgreSQL only; see suggestions/search.py).
# A function calling another names its schema (__SCHEMA__, the migration's current
# schema): pg_restore and autovacuum evaluate the index expression with an empty
# search_path, where an unqualified name is not found.
POSTGRES_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION suggestion_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    -- Every pair of neighbouring characters and the last character alone, in linear
    -- time: the pairs from the 1st, 3rd, 5th ... character, then from the 2nd, 4th
    -- ... (chr(1) separates them; the text's own chr(1) counts as chr(2), in the
    -- query too, so a candidate is never lost).
    SELECT array_to_tsvector(array_remove(
        regexp_split_to_array(regexp_replace(l, '(..)', '\1' || chr(1), 'g'), chr(1))
        || regexp_split_to_array(
            regexp_replace(substr(l, 2), '(..)', '\1' || chr(1), 'g'), chr(1)
        ),
        ''
    ))
    FROM replace(lower(t), chr(1), chr(2)) AS l
$$;

CREATE OR REPLACE FUNCTION suggestion_bigrams(title text, body text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 20000 AS $$
    SELECT coalesce(__SCHEMA__.suggestion_bigrams(title), ''::tsvector)
        || coalesce(__SCHEMA__.suggestion_bigrams(body), ''::tsvector)
$$;

CREATE OR REPLACE FUNCTION suggestion_bigram_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN char_length(l) = 0 THEN NULL
        WHEN char_length(l) = 1 THEN
            ('''' || replace(replace(l, '\', '\\'), '''', '''''') || ''':*')::tsquery
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

POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS sugg_text_bigram_idx ON suggestions_suggestion "
    "USING gin (suggestion_bigrams(title, body))"
)

# A row that PostgreSQL toasts (one over 2 kB: the longer bodies) is cut down to 256
# bytes by moving its body to the TOAST table whole, uncompressed (Chinese text hardly
# compresses): the rows that lists, counts and the dashboard's aggregates scan shrink
# (the 100,000-suggestion session's heap by 30%). Applies to rows written from now on.
POSTGRES_STORAGE = """
ALTER TABLE suggestions_suggestion
    ALTER COLUMN body SET STORAGE EXTERNAL,
    SET (toast_tuple_target = 256);
"""

POSTGRES_STORAGE_REVERSE = """
ALTER TABLE suggestions_suggestion
    ALTER COLUMN body SET STORAGE EXTENDED,
    RESET (toast_tuple_target);
"""

POSTGRES_DROP = """
DROP INDEX IF EXISTS sugg_text_bigram_idx;
DROP FUNCTION IF EXISTS suggestion_bigram_query(text);
DROP FUNCTION IF EXISTS suggestion_bigrams(text, text);
DROP FUNCTION IF EXISTS suggestion_bigrams(text);
"""



def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with icontains
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        [schema] = cursor.fetchone()
    quoted = schema_editor.connection.ops.quote_name(schema)
    schema_editor.execute(POSTGRES_FUNCTIONS.replace("__SCHEMA__", quoted))
    schema_editor.execute(POSTGRES_INDEX)
    schema_editor.execute(POSTGRES_STORAGE)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRES_STORAGE_REVERSE)
    schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('congress', '0001_initial'),
        ('suggestions', '0002_cosigner_not_lead_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='suggestion',
            name='sugg_submitted_idx',
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', 'due_at', 'id'], name='asg_unit_due_idx'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('active', True), ('replied_at__isnull', True)), fields=['unit', 'due_at', 'id'], name='asg_unit_open_due_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['session', '-submitted_at', '-id', 'status', 'category', 'lead_unit'], name='sugg_session_submitted_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['-submitted_at', '-id', 'status', 'category', 'lead_unit'], name='sugg_submitted_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['session', '-created_at', '-id', 'status', 'category', 'lead_unit'], name='sugg_session_created_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['-created_at', '-id', 'status', 'category', 'lead_unit'], name='sugg_created_idx'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('status__in', ('assigned', 'rehandling'))), fields=['session', 'lead_unit', 'due_at'], name='sugg_open_due_idx'),
        ),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
