"""Categories belong to a congress body (step 1 of 3): the body column, empty for now;
a name is no longer unique across the platform (it becomes unique per body in
``0015_category_body_required``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0007_deputy_records"),
        ("suggestions", "0012_cosignature_declined_assignment_urged"),
    ]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="name",
            field=models.CharField(max_length=50, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="category",
            name="body",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="categories",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
    ]
