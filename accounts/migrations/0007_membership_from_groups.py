"""Staff and leaders were members of the groups "congress_staff" and "leaders",
staff and leaders of everything: each becomes staff or leader of every body that
exists (with one body, exactly what they were). Going back makes the groups again."""

from django.db import migrations

GROUPS = {"staff": "congress_staff", "leader": "leaders"}


def groups_to_memberships(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("accounts", "Membership")
    CongressBody = apps.get_model("congress", "CongressBody")
    bodies = list(CongressBody.objects.values_list("pk", flat=True))
    for role, group_name in GROUPS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        users = list(group.user_set.values_list("pk", flat=True))
        Membership.objects.bulk_create(
            [
                Membership(user_id=user, body_id=body, role=role)
                for user in users
                for body in bodies
            ],
            ignore_conflicts=True,
        )
        group.delete()


def memberships_to_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("accounts", "Membership")
    for role, group_name in GROUPS.items():
        users = set(
            Membership.objects.filter(role=role).values_list("user_id", flat=True)
        )
        if users:
            group, _ = Group.objects.get_or_create(name=group_name)
            group.user_set.add(*users)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_membership"),
        ("congress", "0006_congress_body_required"),
    ]

    operations = [migrations.RunPython(groups_to_memberships, memberships_to_groups)]
