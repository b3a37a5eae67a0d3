"""Categories belong to a congress body (step 2 of 3): every category goes to the
bodies that use it.

With one body (the database served one congress) every category goes into it. With
several, a category goes to each body whose suggestions use it: the first keeps the
row, every other gets a copy (same name and position) and its suggestions are
repointed to the copy. A category no suggestion uses yet goes to every body, so no
body loses a choice it had when filing. Categories but no body at all: an unnamed
body staff rename in the admin (as ``congress`` 0005 does for units).

Backwards, the copies of one name merge into its oldest row (their suggestions
repointed to it), so that names are unique again.
"""

from django.db import migrations

UNNAMED_BODY = "人民代表大会"


def into_bodies(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    CongressBody = apps.get_model("congress", "CongressBody")
    Suggestion = apps.get_model("suggestions", "Suggestion")

    categories = list(Category.objects.filter(body__isnull=True).order_by("pk"))
    if not categories:
        return
    bodies = list(CongressBody.objects.order_by("pk").values_list("pk", flat=True))
    if not bodies:
        body, _ = CongressBody.objects.get_or_create(
            name=UNNAMED_BODY, defaults={"region": "", "level": "prefecture"}
        )
        bodies = [body.pk]
    for category in categories:
        users = sorted(
            set(
                Suggestion.objects.filter(category_id=category.pk).values_list(
                    "session__congress__body_id", flat=True
                )
            )
        )
        first, *others = users or bodies
        category.body_id = first
        category.save(update_fields=["body"])
        for body_id in others:
            copy = Category.objects.create(
                body_id=body_id, name=category.name, position=category.position
            )
            Suggestion.objects.filter(
                category_id=category.pk, session__congress__body_id=body_id
            ).update(category=copy)


def out_of_bodies(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    Suggestion = apps.get_model("suggestions", "Suggestion")

    kept: dict[str, int] = {}
    for category in Category.objects.order_by("pk"):
        if category.name not in kept:
            kept[category.name] = category.pk
            continue
        Suggestion.objects.filter(category_id=category.pk).update(
            category_id=kept[category.name]
        )
        category.delete()


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0013_category_body")]

    operations = [migrations.RunPython(into_bodies, out_of_bodies)]
