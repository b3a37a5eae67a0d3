"""Entry on behalf (代录): who entered a suggestion handed in on paper, and the scan
of its signed original.

On SQLite adding these columns rebuilds the suggestion table, which the co-signer
triggers of ``0002_cosigner_not_lead_trigger`` name and on which the
published-count triggers of ``0009_published_count`` sit: they are dropped before
and created again after, unchanged (PostgreSQL alters the table in place).
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import suggestions.models

cosigner = import_module("suggestions.migrations.0002_cosigner_not_lead_trigger")
published = import_module("suggestions.migrations.0009_published_count")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in cosigner.SQLITE_REVERSE:
            schema_editor.execute(statement)
        for name in published.SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS suggestion_published_{name}")


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*cosigner.SQLITE_FORWARD, *published.SQLITE]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0016_reply_contact"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            drop_sqlite_triggers, create_sqlite_triggers, elidable=False
        ),
        migrations.AddField(
            model_name="suggestion",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="entered_suggestions",
                to=settings.AUTH_USER_MODEL,
                verbose_name="entered by",
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="original",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=suggestions.models.original_upload_to,
                verbose_name="scanned original",
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="original_name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="original file name"
            ),
        ),
        migrations.RunPython(
            create_sqlite_triggers, drop_sqlite_triggers, elidable=False
        ),
    ]
