"""The migration of categories into congress bodies (suggestions 0013-0015): with one
body every category goes into it; with several, each body that uses a category gets
its own row (the suggestions of that body repointed to it) and an unused category
goes to every body; going back merges the copies again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

CONGRESS = ("congress", "0008_calendar_day_body")
BEFORE = [CONGRESS, ("suggestions", "0012_cosignature_declined_assignment_urged")]
AFTER = [CONGRESS, ("suggestions", "0015_category_body_required")]


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


def make_body(apps, region: str):
    """A body with a congress, a session and a deputy; returns (body, session,
    deputy)."""
    body = apps.get_model("congress", "CongressBody").objects.create(
        name=f"{region}人民代表大会", region=region, level="prefecture"
    )
    congress = apps.get_model("congress", "Congress").objects.create(
        body=body, ordinal=16
    )
    session = apps.get_model("congress", "Session").objects.create(
        congress=congress, ordinal=1, year=2026, opened_on=dt.date(2026, 1, 10)
    )
    delegation = apps.get_model("congress", "Delegation").objects.create(
        congress=congress, name=f"{region}代表团"
    )
    deputy = apps.get_model("congress", "Deputy").objects.create(
        delegation=delegation, name=f"{region}代表"
    )
    return body, session, deputy


def suggest(apps, session, deputy, category):
    return apps.get_model("suggestions", "Suggestion").objects.create(
        session=session,
        lead_deputy=deputy,
        title=f"关于{category.name}的建议",
        body="建议。",
        category=category,
        created_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_the_latest_schema")
def test_with_one_body_every_category_goes_into_it():
    old = migrate(BEFORE)
    body, session, deputy = make_body(old, "昌吉回族自治州")
    Category = old.get_model("suggestions", "Category")
    education = Category.objects.create(name="教育", position=1)
    Category.objects.create(name="农业", position=2)
    suggestion = suggest(old, session, deputy, education)

    new = migrate(AFTER)
    Category = new.get_model("suggestions", "Category")
    assert sorted(Category.objects.values_list("name", "body_id", "position")) == [
        ("农业", body.pk, 2),
        ("教育", body.pk, 1),
    ]
    Suggestion = new.get_model("suggestions", "Suggestion")
    assert Suggestion.objects.get(pk=suggestion.pk).category_id == education.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_the_latest_schema")
def test_with_several_bodies_each_user_gets_its_own_copy_and_back():
    """教育 used in both bodies: the first keeps the row, the second gets a copy and
    its suggestion points to it; 交通 used in the second only stays one row there;
    农业, unused, goes to both. Backwards the copies merge into the first rows."""
    old = migrate(BEFORE)
    changji, here, here_deputy = make_body(old, "昌吉回族自治州")
    yili, there, there_deputy = make_body(old, "伊犁哈萨克自治州")
    Category = old.get_model("suggestions", "Category")
    education = Category.objects.create(name="教育", position=1)
    traffic = Category.objects.create(name="交通", position=2)
    farming = Category.objects.create(name="农业", position=3)
    in_changji = suggest(old, here, here_deputy, education)
    in_yili = suggest(old, there, there_deputy, education)
    traffic_in_yili = suggest(old, there, there_deputy, traffic)

    new = migrate(AFTER)
    Category = new.get_model("suggestions", "Category")
    Suggestion = new.get_model("suggestions", "Suggestion")
    assert sorted(Category.objects.values_list("body_id", "name")) == sorted(
        [
            (changji.pk, "教育"),
            (yili.pk, "教育"),
            (yili.pk, "交通"),
            (changji.pk, "农业"),
            (yili.pk, "农业"),
        ]
    )
    assert Category.objects.get(pk=education.pk).body_id == changji.pk
    assert Category.objects.get(pk=traffic.pk).body_id == yili.pk
    assert Category.objects.get(pk=farming.pk).body_id == changji.pk
    copy = Category.objects.get(body_id=yili.pk, name="教育")
    assert copy.position == 1
    assert Suggestion.objects.get(pk=in_changji.pk).category_id == education.pk
    assert Suggestion.objects.get(pk=in_yili.pk).category_id == copy.pk
    assert Suggestion.objects.get(pk=traffic_in_yili.pk).category_id == traffic.pk
    # Every suggestion's category is one of its own body's.
    for suggestion in Suggestion.objects.select_related(
        "category", "session__congress"
    ):
        assert suggestion.category.body_id == suggestion.session.congress.body_id

    back = migrate(BEFORE)
    Category = back.get_model("suggestions", "Category")
    Suggestion = back.get_model("suggestions", "Suggestion")
    assert sorted(Category.objects.values_list("pk", "name")) == sorted(
        [(education.pk, "教育"), (traffic.pk, "交通"), (farming.pk, "农业")]
    )
    assert Suggestion.objects.get(pk=in_yili.pk).category_id == education.pk
