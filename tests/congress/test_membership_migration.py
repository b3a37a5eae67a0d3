"""The migration to roles per congress body (accounts 0006-0007): members of the
global groups "congress_staff" and "leaders" become staff and leaders of every body
that exists (with one body, exactly what they were), the groups go; going back
makes the groups again from the memberships."""

import pytest

from tests.congress.test_migrations import migrate

BEFORE = [("accounts", "0005_large_text"), ("congress", "0007_deputy_records")]
AFTER = [("accounts", "0007_membership_from_groups")]


@pytest.fixture
def at_the_latest_schema():
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_the_latest_schema")
def test_the_groups_become_memberships_in_every_body_and_back():
    old = migrate(BEFORE)
    Group = old.get_model("auth", "Group")
    User = old.get_model("accounts", "User")
    CongressBody = old.get_model("congress", "CongressBody")
    prefecture = CongressBody.objects.create(
        name="昌吉回族自治州人民代表大会", region="昌吉回族自治州", level="prefecture"
    )
    county = CongressBody.objects.create(
        name="昌吉市人民代表大会", region="昌吉市", level="county", parent=prefecture
    )
    staff_group = Group.objects.create(name="congress_staff")
    leader_group = Group.objects.create(name="leaders")
    staff = User.objects.create(username="wangfang")
    leader = User.objects.create(username="lizhuren")
    nobody = User.objects.create(username="clerk")
    staff.groups.add(staff_group)
    leader.groups.add(leader_group)

    new = migrate(AFTER)
    Membership = new.get_model("accounts", "Membership")
    held = set(Membership.objects.values_list("user__username", "body_id", "role"))
    assert held == {
        ("wangfang", prefecture.pk, "staff"),
        ("wangfang", county.pk, "staff"),
        ("lizhuren", prefecture.pk, "leader"),
        ("lizhuren", county.pk, "leader"),
    }
    assert not Membership.objects.filter(user_id=nobody.pk).exists()
    assert (
        not new.get_model("auth", "Group")
        .objects.filter(name__in=["congress_staff", "leaders"])
        .exists()
    )

    back = migrate(BEFORE)
    Group = back.get_model("auth", "Group")
    assert set(
        Group.objects.get(name="congress_staff").user_set.values_list(
            "username", flat=True
        )
    ) == {"wangfang"}
    assert set(
        Group.objects.get(name="leaders").user_set.values_list("username", flat=True)
    ) == {"lizhuren"}
