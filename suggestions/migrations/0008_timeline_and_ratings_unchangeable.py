"""The database refuses to change a timeline entry or a rating once written (the
models refuse it in ``save()``; a queryset's ``update()`` or raw SQL went around
that). Deleting stays possible: a deleted draft takes its timeline with it."""

from django.db import migrations

TABLES = ("suggestions_event", "suggestions_evaluation")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION suggestions_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows cannot be changed once written (UPDATE refused)',
        TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def _triggers(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [
            f"CREATE TRIGGER {table}_unchangeable BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION suggestions_refuse_update();"
            for table in TABLES
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_unchangeable BEFORE UPDATE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} rows cannot be changed once written "
            f"(UPDATE refused)'); END;"
            for table in TABLES
        ]
    return []


def forwards(apps, schema_editor):
    for sql in _triggers(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_unchangeable ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_unchangeable")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS suggestions_refuse_update()")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0007_search_frequency")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
