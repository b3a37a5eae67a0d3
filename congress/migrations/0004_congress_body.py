"""A congress body (人民代表大会) above the terms: the table, and the congresses' and
units' links to it, still optional until 0005 has filled them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0003_handlingrules_lead_reply"),
    ]

    operations = [
        migrations.CreateModel(
            name="CongressBody",
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
                (
                    "name",
                    models.CharField(max_length=100, unique=True, verbose_name="name"),
                ),
                (
                    "short_name",
                    models.CharField(
                        blank=True, max_length=30, verbose_name="short name"
                    ),
                ),
                ("region", models.CharField(max_length=100, verbose_name="region")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("national", "National"),
                            ("provincial", "Provincial"),
                            ("prefecture", "Prefecture / city"),
                            ("county", "County"),
                            ("township", "Township"),
                        ],
                        max_length=16,
                        verbose_name="level",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="congress.congressbody",
                        verbose_name="parent body",
                    ),
                ),
            ],
            options={
                "verbose_name": "congress body",
                "verbose_name_plural": "congress bodies",
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "level__in",
                                [
                                    "national",
                                    "provincial",
                                    "prefecture",
                                    "county",
                                    "township",
                                ],
                            )
                        ),
                        name="body_level_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("parent", models.F("id")), _negated=True
                        ),
                        name="body_not_own_parent",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="congress",
            name="body",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="congresses",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        migrations.AddField(
            model_name="handlingunit",
            name="body",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        # A term was unique per region and level; 0006 makes it unique per body.
        # Dropped here, so that going back restores it only once 0005 has given
        # the congresses their region and level again.
        migrations.RemoveConstraint(
            model_name="congress",
            name="congress_unique_term",
        ),
    ]
