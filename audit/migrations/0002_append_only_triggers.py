"""The database refuses changes to the security log: on PostgreSQL a trigger raises
on UPDATE and DELETE; on SQLite on UPDATE (SQLite's flush, used between transactional
tests, deletes rows; the model and queryset refuse deletes there)."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_securityevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_securityevent_append_only
    BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_securityevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_securityevent_append_only ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_securityevent_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_securityevent_append_only
BEFORE UPDATE ON audit_securityevent
BEGIN
    SELECT RAISE(ABORT, 'audit_securityevent is append-only (UPDATE refused)');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_securityevent_append_only;"


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
