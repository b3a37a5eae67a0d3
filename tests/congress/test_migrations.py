"""The migration to congress bodies (congress 0004-0006): an existing database that
served one congress ends up in one body, with every unit in it, and going back gives
the congresses their region and level again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("congress", "0003_handlingrules_lead_reply")]
AFTER = [("congress", "0006_congress_body_required")]


def migrate(targets):
    """Migrate to ``targets`` and return the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_the_latest_schema():
    """Whatever happens in the test, the database ends at the latest migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_the_latest_schema")
def test_a_single_congress_database_moves_into_one_body():
    """Two terms of one region become one body with both terms and every unit; a
    second region gets a body of its own, and the units stay with the latest one."""
    old = migrate(BEFORE)
    Congress = old.get_model("congress", "Congress")
    Session = old.get_model("congress", "Session")
    Delegation = old.get_model("congress", "Delegation")
    Deputy = old.get_model("congress", "Deputy")
    HandlingUnit = old.get_model("congress", "HandlingUnit")

    term_15 = Congress.objects.create(
        region="昌吉回族自治州", level="prefecture", ordinal=15
    )
    term_16 = Congress.objects.create(
        region="昌吉回族自治州", level="prefecture", ordinal=16
    )
    elsewhere = Congress.objects.create(region="伊犁", level="prefecture", ordinal=16)
    Session.objects.create(
        congress=term_15, ordinal=5, year=2022, opened_on=dt.date(2022, 1, 8)
    )
    Session.objects.create(
        congress=elsewhere, ordinal=1, year=2022, opened_on=dt.date(2022, 2, 8)
    )
    Session.objects.create(
        congress=term_16,
        ordinal=1,
        year=2023,
        opened_on=dt.date(2023, 1, 9),
        is_current=True,
    )
    delegation = Delegation.objects.create(congress=term_16, name="昌吉市代表团")
    Deputy.objects.create(delegation=delegation, name="代表甲")
    government = HandlingUnit.objects.create(
        name="州人民政府", short_name="州政府", kind="government"
    )
    HandlingUnit.objects.create(
        name="州教育局", short_name="教育局", kind="government", parent=government
    )
    HandlingUnit.objects.create(name="州中级人民法院", kind="court")

    new = migrate(AFTER)
    CongressBody = new.get_model("congress", "CongressBody")
    Congress = new.get_model("congress", "Congress")
    HandlingUnit = new.get_model("congress", "HandlingUnit")

    changji = CongressBody.objects.get(region="昌吉回族自治州")
    assert (changji.name, changji.level, changji.parent_id) == (
        "昌吉回族自治州人民代表大会",
        "prefecture",
        None,
    )
    assert sorted(
        Congress.objects.filter(body=changji).values_list("ordinal", flat=True)
    ) == [15, 16]
    assert Congress.objects.get(pk=elsewhere.pk).body.name == "伊犁人民代表大会"
    assert CongressBody.objects.count() == 2
    assert set(HandlingUnit.objects.values_list("body", flat=True)) == {changji.pk}
    assert HandlingUnit.objects.get(name="州教育局").parent.body_id == changji.pk

    back = migrate(BEFORE)
    Congress = back.get_model("congress", "Congress")
    assert sorted(Congress.objects.values_list("region", "level", "ordinal")) == [
        ("伊犁", "prefecture", 16),
        ("昌吉回族自治州", "prefecture", 15),
        ("昌吉回族自治州", "prefecture", 16),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_the_latest_schema")
def test_units_without_a_congress_get_a_body_to_rename():
    """A database with units but no congress yet still migrates: the units go to
    one unnamed body staff rename in the admin."""
    old = migrate(BEFORE)
    old.get_model("congress", "HandlingUnit").objects.create(
        name="州教育局", kind="government"
    )

    new = migrate(AFTER)
    CongressBody = new.get_model("congress", "CongressBody")
    body = CongressBody.objects.get()
    assert body.name == "人民代表大会"
    assert list(body.units.values_list("name", flat=True)) == ["州教育局"]
