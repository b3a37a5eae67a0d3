"""Every congress and unit now has its body: the links become required, a term is
unique per body, a unit's name per body, and the region and level live on the body
only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0005_congress_body_data"),
    ]

    operations = [
        # A default first, so that going back can add the columns again to rows
        # that exist (0005 then fills them from the body).
        migrations.AlterField(
            model_name="congress",
            name="level",
            field=models.CharField(
                choices=[
                    ("national", "National"),
                    ("provincial", "Provincial"),
                    ("prefecture", "Prefecture / city"),
                    ("county", "County"),
                    ("township", "Township"),
                ],
                default="",
                max_length=16,
                verbose_name="level",
            ),
        ),
        migrations.AlterField(
            model_name="congress",
            name="region",
            field=models.CharField(default="", max_length=100, verbose_name="region"),
        ),
        migrations.RemoveField(
            model_name="congress",
            name="level",
        ),
        migrations.RemoveField(
            model_name="congress",
            name="region",
        ),
        migrations.AlterModelOptions(
            name="congress",
            options={
                "ordering": ["body", "-ordinal"],
                "verbose_name": "congress",
                "verbose_name_plural": "congresses",
            },
        ),
        migrations.AlterField(
            model_name="congress",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="congresses",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        migrations.AddConstraint(
            model_name="congress",
            constraint=models.UniqueConstraint(
                fields=("body", "ordinal"), name="congress_unique_term"
            ),
        ),
        migrations.AlterField(
            model_name="handlingunit",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        migrations.AlterField(
            model_name="handlingunit",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AddConstraint(
            model_name="handlingunit",
            constraint=models.UniqueConstraint(
                fields=("body", "name"), name="unit_unique_name_per_body"
            ),
        ),
    ]
