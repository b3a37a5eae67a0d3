"""Each session's number of published suggestions (a reply made public: ``is_public``
and replied or closed), kept by triggers on ``suggestions_suggestion`` in the
transaction that inserts, updates or deletes the row, whichever code writes it. A
deputy's or a unit's list counts the published suggestions from these rows instead of
visiting each (about 30 ms for 500,000 of them).

``COPY`` fires the triggers; ``TRUNCATE`` does not (``generate_load`` disables them
for its load, then calls ``recount_published``)."""

import django.db.models.deletion
from django.db import migrations, models

PUBLISHED = "{row}.is_public AND {row}.status IN ('replied', 'closed')"

POSTGRES = [
    f"""
CREATE OR REPLACE FUNCTION suggestions_count_published() RETURNS trigger AS $$
DECLARE
    was boolean := false;
    is_now boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := {PUBLISHED.format(row="OLD")};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_now := {PUBLISHED.format(row="NEW")};
    END IF;
    IF was AND is_now AND OLD.session_id = NEW.session_id THEN
        RETURN NULL;
    END IF;
    IF was THEN
        UPDATE suggestions_publishedcount SET n = n - 1
        WHERE session_id = OLD.session_id;
    END IF;
    IF is_now THEN
        INSERT INTO suggestions_publishedcount (session_id, n)
        VALUES (NEW.session_id, 1)
        ON CONFLICT (session_id) DO UPDATE SET n = suggestions_publishedcount.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER suggestion_published_count
AFTER INSERT OR DELETE OR UPDATE OF is_public, status, session_id
ON suggestions_suggestion
FOR EACH ROW EXECUTE FUNCTION suggestions_count_published();
""",
]

_ADD = """
INSERT INTO suggestions_publishedcount (session_id, n) VALUES (NEW.session_id, 1)
ON CONFLICT (session_id) DO UPDATE SET n = n + 1;
"""
_SUBTRACT = """
UPDATE suggestions_publishedcount SET n = n - 1 WHERE session_id = OLD.session_id;
"""
_OLD, _NEW = PUBLISHED.format(row="OLD"), PUBLISHED.format(row="NEW")
_SAME = "OLD.session_id = NEW.session_id"
_COLUMNS = "UPDATE OF is_public, status, session_id"
SQLITE = [
    f"CREATE TRIGGER suggestion_published_insert AFTER INSERT ON "
    f"suggestions_suggestion WHEN {_NEW} BEGIN {_ADD} END;",
    f"CREATE TRIGGER suggestion_published_delete AFTER DELETE ON "
    f"suggestions_suggestion WHEN {_OLD} BEGIN {_SUBTRACT} END;",
    f"CREATE TRIGGER suggestion_published_leave AFTER {_COLUMNS} ON "
    f"suggestions_suggestion WHEN ({_OLD}) AND NOT ({_NEW} AND {_SAME}) "
    f"BEGIN {_SUBTRACT} END;",
    f"CREATE TRIGGER suggestion_published_enter AFTER {_COLUMNS} ON "
    f"suggestions_suggestion WHEN ({_NEW}) AND NOT ({_OLD} AND {_SAME}) "
    f"BEGIN {_ADD} END;",
]
SQLITE_TRIGGERS = ("insert", "delete", "leave", "enter")

FILL = f"""
INSERT INTO suggestions_publishedcount (session_id, n)
SELECT session_id, COUNT(*) FROM suggestions_suggestion
WHERE {PUBLISHED.format(row="suggestions_suggestion")}
GROUP BY session_id
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, [])
    for sql in [*statements, FILL]:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS suggestion_published_count "
            "ON suggestions_suggestion"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS suggestions_count_published()")
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS suggestion_published_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("suggestions", "0008_timeline_and_ratings_unchangeable"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedCount",
            fields=[
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="congress.session",
                        verbose_name="session",
                    ),
                ),
                (
                    "n",
                    models.BigIntegerField(
                        default=0, verbose_name="published suggestions"
                    ),
                ),
            ],
            options={
                "verbose_name": "published suggestions of a session",
                "verbose_name_plural": "published suggestions per session",
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
