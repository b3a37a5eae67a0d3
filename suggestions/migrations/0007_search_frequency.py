"""``suggestion_gram_frequency(q)``: the share of suggestions that hold every
character or bigram of ``q``, by the statistics that ANALYZE keeps of the search
index (its 1,000 most common entries and their frequencies); 0 when one of them is
not among those. A frequent text is counted along the list rather than through the
index (suggestions/search.py, ``count_matches``)."""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION suggestion_gram_frequency(q text) RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH common AS (
        SELECT e.gram, e.freq
        FROM pg_stats AS s,
            unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
                AS e(gram, freq)
        WHERE s.schemaname = current_schema()
            AND s.tablename = 'sugg_text_gram_idx'
    ), grams AS (
        SELECT CASE WHEN char_length(l) = 1 THEN l ELSE substr(l, i, 2) END AS gram
        FROM replace(lower(q), chr(1), chr(2)) AS l,
            generate_series(1, greatest(char_length(l) - 1, 1)) AS i
    )
    SELECT coalesce(min(coalesce(common.freq, 0)), 0)
    FROM grams LEFT JOIN common USING (gram)
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS suggestion_gram_frequency(text)")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0006_search_unigrams")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
