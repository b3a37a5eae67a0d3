"""Two ratings and on-site evaluation (现场测评): the evaluation's ``rating`` stays the
rating of the result (every existing rating is kept as the result; the figures count
it as before), ``attitude`` is added, blank for the ratings given before it was asked
(shown as 未评, docs/decisions.md); each rating keeps its channel (online for every
existing one), who entered it, and for an on-site one its evaluation meeting and the
scan of the signed 征询意见表.

Evaluations stay unchangeable on the database side (``0008_timeline_and_ratings_
unchangeable``): on SQLite adding these columns rebuilds the evaluation table, which
drops its trigger; it is dropped before and created again after, unchanged
(PostgreSQL alters the table in place and keeps it).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
import suggestions.models
from django.conf import settings
from django.db import migrations, models

unchangeable = import_module(
    "suggestions.migrations.0008_timeline_and_ratings_unchangeable"
)
TABLE = "suggestions_evaluation"


def drop_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_unchangeable")


def create_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in unchangeable._triggers("sqlite"):
            if f"ON {TABLE} " in statement:
                schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0009_rating_sends_back"),
        ("suggestions", "0018_public_session_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            drop_sqlite_trigger, create_sqlite_trigger, elidable=False
        ),
        migrations.AddField(
            model_name="evaluation",
            name="attitude",
            field=models.CharField(
                blank=True,
                choices=[
                    ("satisfied", "Satisfied"),
                    ("basically_satisfied", "Basically satisfied"),
                    ("dissatisfied", "Dissatisfied"),
                ],
                default="",
                max_length=24,
                verbose_name="rating of the attitude",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="channel",
            field=models.CharField(
                choices=[
                    ("online", "Online, by the deputy"),
                    ("on_site", "On site, at an evaluation meeting"),
                ],
                default="online",
                max_length=8,
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="entered by",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="form_scan",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=suggestions.models.form_scan_upload_to,
                verbose_name="scan of the signed evaluation form",
            ),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="rating",
            field=models.CharField(
                choices=[
                    ("satisfied", "Satisfied"),
                    ("basically_satisfied", "Basically satisfied"),
                    ("dissatisfied", "Dissatisfied"),
                ],
                max_length=24,
                verbose_name="rating of the result",
            ),
        ),
        migrations.CreateModel(
            name="EvaluationMeeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("held_on", models.DateField(verbose_name="held on")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "deputies",
                    models.ManyToManyField(
                        related_name="evaluation_meetings",
                        to="congress.deputy",
                        verbose_name="deputies present",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="evaluation_meetings",
                        to="congress.session",
                        verbose_name="session",
                    ),
                ),
                (
                    "units",
                    models.ManyToManyField(
                        blank=True,
                        related_name="evaluation_meetings",
                        to="congress.handlingunit",
                        verbose_name="units reporting",
                    ),
                ),
            ],
            options={
                "verbose_name": "evaluation meeting",
                "verbose_name_plural": "evaluation meetings",
                "ordering": ["-held_on", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="evaluation",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluations",
                to="suggestions.evaluationmeeting",
                verbose_name="evaluation meeting",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("attitude", ""),
                    (
                        "attitude__in",
                        ["satisfied", "basically_satisfied", "dissatisfied"],
                    ),
                    _connector="OR",
                ),
                name="evaluation_attitude_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("channel", "online"),
                        ("form_scan", ""),
                        ("meeting__isnull", True),
                    ),
                    models.Q(
                        ("channel", "on_site"),
                        ("meeting__isnull", False),
                        models.Q(("form_scan", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="evaluation_channel_valid",
            ),
        ),
        migrations.RunPython(
            create_sqlite_trigger, drop_sqlite_trigger, elidable=False
        ),
    ]
