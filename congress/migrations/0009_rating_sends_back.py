"""Which of the deputy's two ratings sends a suggestion back for re-handling
(default: the result, as before the attitude was asked)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0008_calendar_day_body"),
    ]

    operations = [
        migrations.AddField(
            model_name="handlingrules",
            name="rating_sends_back",
            field=models.CharField(
                choices=[
                    ("result", "A dissatisfied result"),
                    ("attitude", "A dissatisfied attitude"),
                    ("either", "Either rating dissatisfied"),
                ],
                default="result",
                help_text="The deputy rates the handling attitude and the result; which of them, when dissatisfied, has the unit handle the suggestion again.",
                max_length=8,
                verbose_name="rating that sends a suggestion back for re-handling",
            ),
        ),
        migrations.AddConstraint(
            model_name="handlingrules",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rating_sends_back__in", ["result", "attitude", "either"])
                ),
                name="rules_rating_sends_back_valid",
            ),
        ),
    ]
