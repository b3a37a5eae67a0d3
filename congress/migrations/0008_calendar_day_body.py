"""A congress body may add its own calendar days (a regional holiday) to the national
ones: an optional body on a calendar day; a date is unique nationally and per body.
Existing days stay national."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0007_deputy_records"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="calendarday",
            options={
                "ordering": ["date", "body"],
                "verbose_name": "calendar day",
                "verbose_name_plural": "calendar days",
            },
        ),
        migrations.AddField(
            model_name="calendarday",
            name="body",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a national day, the same for every body.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_days",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        migrations.AlterField(
            model_name="calendarday",
            name="date",
            field=models.DateField(verbose_name="date"),
        ),
        migrations.AddConstraint(
            model_name="calendarday",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", True)),
                fields=("date",),
                name="calendar_day_unique_national",
            ),
        ),
        migrations.AddConstraint(
            model_name="calendarday",
            constraint=models.UniqueConstraint(
                fields=("date", "body"), name="calendar_day_unique_per_body"
            ),
        ),
    ]
