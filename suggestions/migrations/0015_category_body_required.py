"""Categories belong to a congress body (step 3 of 3): the body is required, and a
name is unique within its body."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0014_category_body_data")]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="categories",
                to="congress.congressbody",
                verbose_name="congress body",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                fields=("body", "name"), name="category_unique_name_per_body"
            ),
        ),
    ]
