"""An existing database served one congress: put it into one body.

One body per distinct (region, level) of the congresses, normally one, named from
the region (昌吉回族自治州 → 昌吉回族自治州人民代表大会). Every handling unit goes to
the body of the latest congress (the one whose session opened last), the one the
units were serving. Backwards, the congresses take their region and level back from
their body.
"""

from django.db import migrations

BODY_SUFFIX = "人民代表大会"


def _latest_congress(Congress, Session):
    session = (
        Session.objects.select_related("congress__body")
        .order_by("-opened_on", "-pk")
        .first()
    )
    if session is not None:
        return session.congress
    return Congress.objects.order_by("-ordinal", "-pk").first()


def into_bodies(apps, schema_editor):
    CongressBody = apps.get_model("congress", "CongressBody")
    Congress = apps.get_model("congress", "Congress")
    HandlingUnit = apps.get_model("congress", "HandlingUnit")
    Session = apps.get_model("congress", "Session")

    bodies = {}
    for congress in Congress.objects.filter(body__isnull=True).order_by("pk"):
        key = (congress.region, congress.level)
        if key not in bodies:
            name = f"{congress.region}{BODY_SUFFIX}"
            if CongressBody.objects.filter(name=name).exists():
                # The same region at two levels (rare): tell them apart.
                name = f"{name}（{congress.level}）"
            bodies[key] = CongressBody.objects.create(
                name=name[:100], region=congress.region, level=congress.level
            )
        congress.body = bodies[key]
        congress.save(update_fields=["body"])

    units = HandlingUnit.objects.filter(body__isnull=True)
    if not units.exists():
        return
    latest = _latest_congress(Congress, Session)
    if latest is not None:
        body = latest.body
    else:
        # Units but no congress yet: an unnamed body staff rename in the admin.
        body, _ = CongressBody.objects.get_or_create(
            name=BODY_SUFFIX, defaults={"region": "", "level": "prefecture"}
        )
    units.update(body=body)


def out_of_bodies(apps, schema_editor):
    Congress = apps.get_model("congress", "Congress")
    for congress in Congress.objects.select_related("body").filter(
        body__isnull=False
    ):
        congress.region = congress.body.region
        congress.level = congress.body.level
        congress.save(update_fields=["region", "level"])


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0004_congress_body"),
    ]

    operations = [
        migrations.RunPython(into_bodies, out_of_bodies),
    ]
