"""The database refuses a co-signer who is the suggestion's lead deputy.

A CHECK constraint cannot look at another table, so a trigger on each side does:
inserting or changing a co-signature, and changing a suggestion's lead deputy.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION suggestions_cosigner_not_lead() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'suggestions_cosignature' THEN
        IF EXISTS (SELECT 1 FROM suggestions_suggestion s
                   WHERE s.id = NEW.suggestion_id AND s.lead_deputy_id = NEW.deputy_id)
        THEN
            RAISE EXCEPTION 'a co-signer cannot be the lead deputy'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM suggestions_cosignature c
                  WHERE c.suggestion_id = NEW.id AND c.deputy_id = NEW.lead_deputy_id)
    THEN
        RAISE EXCEPTION 'a co-signer cannot be the lead deputy'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cosignature_not_lead
    BEFORE INSERT OR UPDATE OF deputy_id, suggestion_id ON suggestions_cosignature
    FOR EACH ROW EXECUTE FUNCTION suggestions_cosigner_not_lead();
CREATE TRIGGER suggestion_lead_not_cosigner
    BEFORE UPDATE OF lead_deputy_id ON suggestions_suggestion
    FOR EACH ROW EXECUTE FUNCTION suggestions_cosigner_not_lead();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS cosignature_not_lead ON suggestions_cosignature;
DROP TRIGGER IF EXISTS suggestion_lead_not_cosigner ON suggestions_suggestion;
DROP FUNCTION IF EXISTS suggestions_cosigner_not_lead();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER cosignature_not_lead_insert
    BEFORE INSERT ON suggestions_cosignature
    WHEN NEW.deputy_id = (SELECT lead_deputy_id FROM suggestions_suggestion
                          WHERE id = NEW.suggestion_id)
    BEGIN SELECT RAISE(ABORT, 'a co-signer cannot be the lead deputy'); END;
    """,
    """
    CREATE TRIGGER cosignature_not_lead_update
    BEFORE UPDATE OF deputy_id, suggestion_id ON suggestions_cosignature
    WHEN NEW.deputy_id = (SELECT lead_deputy_id FROM suggestions_suggestion
                          WHERE id = NEW.suggestion_id)
    BEGIN SELECT RAISE(ABORT, 'a co-signer cannot be the lead deputy'); END;
    """,
    """
    CREATE TRIGGER suggestion_lead_not_cosigner
    BEFORE UPDATE OF lead_deputy_id ON suggestions_suggestion
    WHEN EXISTS (SELECT 1 FROM suggestions_cosignature
                 WHERE suggestion_id = NEW.id AND deputy_id = NEW.lead_deputy_id)
    BEGIN SELECT RAISE(ABORT, 'a co-signer cannot be the lead deputy'); END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cosignature_not_lead_insert",
    "DROP TRIGGER IF EXISTS cosignature_not_lead_update",
    "DROP TRIGGER IF EXISTS suggestion_lead_not_cosigner",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"no co-signer trigger for {vendor}")


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
