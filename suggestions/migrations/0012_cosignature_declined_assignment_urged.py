"""A co-signature may be declined (谢绝附议), never both signed and declined; an
assignment remembers when it was last urged (催办).

On SQLite adding the CHECK constraint rebuilds the co-signature table, which the
co-signer triggers of ``0002_cosigner_not_lead_trigger`` name: they are dropped
before and created again after, unchanged (PostgreSQL alters the table in place).
"""

from importlib import import_module

from django.db import migrations, models

triggers = import_module("suggestions.migrations.0002_cosigner_not_lead_trigger")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_REVERSE:
            schema_editor.execute(statement)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0003_handlingrules_lead_reply"),
        ("suggestions", "0011_reply_co_opinion_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="urged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="urged"),
        ),
        migrations.AddField(
            model_name="cosignature",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="declined"),
        ),
        migrations.RunPython(
            drop_sqlite_triggers, create_sqlite_triggers, elidable=False
        ),
        migrations.AddConstraint(
            model_name="cosignature",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signed_at__isnull", True),
                    ("declined_at__isnull", True),
                    _connector="OR",
                ),
                name="cosignature_signed_or_declined",
            ),
        ),
        migrations.RunPython(
            create_sqlite_triggers, drop_sqlite_triggers, elidable=False
        ),
    ]
