"""The statistics snapshot: staleness kept by the workflow hook, the synchronous and
background refresh, the version race, the two computing paths, the unit league
table's acknowledgement figure, the date-range mode, the trend and the query counts
that must not grow with the data."""

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from congress.models import CalendarDay, Session
from dashboard import engine, statistics, tasks
from dashboard.changes import session_changed
from dashboard.engine import Scope
from dashboard.models import SessionStatistics
from dashboard.statistics import (
    live_statistics,
    period_statistics,
    refresh,
    session_statistics,
    trend,
)
from suggestions import services
from suggestions.models import Assignment, Suggestion

from ..api.conftest import client_as
from ..factories import (
    CongressBodyFactory,
    LeaderFactory,
    StaffFactory,
    deputy_user,
)
from .test_statistics import ASSIGNED, TODAY, TZ, make

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GROUPING SETS path: PostgreSQL only"
)


def _session(world):
    return Session.objects.select_related("congress").get(pk=world["session"].pk)


def _fill(world, count: int, start: int = 1) -> None:
    kinds = list(world["units"])
    for i in range(count):
        make(
            world,
            number=start + i,
            unit=kinds[i % len(kinds)],
            category=i % 3,
            deputy=i % 6,
            outcome=("resolved", "in_progress", "explained")[i % 3],
            rating=("satisfied", "basically_satisfied", "")[i % 3],
            status=("closed", "closed", "replied")[i % 3],
            key=i % 7 == 0,
            replied=ASSIGNED + dt.timedelta(days=30 + 40 * (i % 4)),
            contact=i % 5 != 0,
            round=2 if i % 11 == 0 else 1,
        )


def _without_time(figures: dict) -> dict:
    return {**figures, "as_of": None}


# --- staleness ------------------------------------------------------------------------


def test_a_change_makes_the_snapshot_stale_and_the_next_read_exact(world):
    """A service call bumps the version in its transaction; the next read of a small
    session recomputes, so the change is counted at once."""
    _fill(world, 6)
    session = _session(world)
    before = session_statistics(session, today=TODAY)
    assert before["key_supervised"] == 1
    assert before["stale"] is False
    snapshot = SessionStatistics.objects.get(pk=session.pk)
    assert snapshot.is_fresh(TODAY)

    target = Suggestion.objects.filter(session=session, key_supervised=False).first()
    services.suggestion_mark_key(
        suggestion_id=target.pk, actor=StaffFactory(), key_supervised=True
    )
    snapshot.refresh_from_db()
    assert not snapshot.is_fresh(TODAY)

    after = session_statistics(session, today=TODAY)
    assert after["key_supervised"] == 2
    assert after["stale"] is False
    assert _without_time(after) == _without_time(live_statistics(session, today=TODAY))


@override_settings(STATISTICS_SYNC_LIMIT=0)
def test_a_large_session_is_served_stale_and_the_task_brings_it_current(
    world, django_capture_on_commit_callbacks
):
    """Above the synchronous limit a stale snapshot is served marked ``stale`` with
    its ``as_of``, a refresh is enqueued once the change commits, and the task makes
    the snapshot exact again."""
    _fill(world, 6)
    session = _session(world)
    first = session_statistics(session, today=TODAY)  # no snapshot yet: computed
    target = Suggestion.objects.filter(session=session, key_supervised=False).first()
    with django_capture_on_commit_callbacks() as callbacks:
        services.suggestion_mark_key(
            suggestion_id=target.pk, actor=StaffFactory(), key_supervised=True
        )
    # One refresh asked for, however many changes the transaction made.
    assert [getattr(c, "key", None) for c in callbacks] == [
        ("dashboard.tasks.refresh_statistics", (session.pk,))
    ]

    stale = session_statistics(session, today=TODAY)
    assert stale["stale"] is True
    assert stale["as_of"] == first["as_of"]
    assert stale["key_supervised"] == 1

    assert tasks.refresh_if_stale(session.pk) is True
    assert tasks.refresh_if_stale(session.pk) is False  # fresh: nothing to do
    current = session_statistics(session)
    assert current["stale"] is False
    assert current["key_supervised"] == 2


@override_settings(STATISTICS_SYNC_LIMIT=0)
def test_a_broker_that_is_down_never_fails_the_change(
    world, broker_down, django_capture_on_commit_callbacks, caplog
):
    """The refresh is asked for after the commit, fast, and a broker failure only
    logs: the periodic refresh catches up."""
    _fill(world, 2)
    session = _session(world)
    refresh(session, today=TODAY)
    target = Suggestion.objects.filter(session=session).first()
    with django_capture_on_commit_callbacks() as callbacks:
        services.suggestion_mark_key(
            suggestion_id=target.pk, actor=StaffFactory(), key_supervised=True
        )
    started = time.monotonic()
    for callback in callbacks:
        callback()
    assert time.monotonic() - started < 1.5
    assert "refresh_statistics waits for its periodic run" in caplog.text
    assert session.pk in statistics.stale_session_ids(TODAY)
    assert tasks.refresh_stale_statistics() >= 1
    assert session_statistics(session)["key_supervised"] == 1


def test_a_change_during_a_recompute_leaves_the_snapshot_stale(world, monkeypatch):
    """The snapshot stores the version read before computing: a change committed
    while computing leaves it stale, to be computed again."""
    _fill(world, 4)
    session = _session(world)
    compute = engine.compute

    def racing(scope, today, **kwargs):
        figures = compute(scope, today, **kwargs)
        session_changed(session.pk)  # another transaction commits meanwhile
        return figures

    monkeypatch.setattr(engine, "compute", racing)
    refresh(session, today=TODAY)
    snapshot = SessionStatistics.objects.get(pk=session.pk)
    assert snapshot.computed_version == snapshot.version - 1
    assert not snapshot.is_fresh(TODAY)


def test_an_older_computation_never_overwrites_a_newer_one(world):
    """Two refreshes at once: the one that read the older version loses."""
    _fill(world, 3)
    session = _session(world)
    refresh(session, today=TODAY)
    session_changed(session.pk)
    refresh(session, today=TODAY)  # stores version 1
    newer = SessionStatistics.objects.get(pk=session.pk)
    SessionStatistics.objects.filter(pk=session.pk).update(version=0)
    refresh(session, today=TODAY)  # a slow refresh that read version 0
    assert SessionStatistics.objects.get(pk=session.pk).computed_at == (
        newer.computed_at
    )


def test_reference_data_changes_make_snapshots_stale(world):
    """Renaming a unit changes the names the snapshot holds: it is stale."""
    _fill(world, 2)
    session = _session(world)
    refresh(session, today=TODAY)
    unit = world["units"]["court"]
    unit.name = "新名称"
    unit.save()
    assert not SessionStatistics.objects.get(pk=session.pk).is_fresh(TODAY)
    names = {
        r["unit"]["name"] for r in session_statistics(session, today=TODAY)["units"]
    }
    assert "新名称" in names


# --- the two computing paths ----------------------------------------------------------


@postgres_only
def test_grouping_sets_give_the_portable_figures(world):
    """On the same data the one-scan SQL and the portable ORM aggregates agree,
    group by group."""
    _fill(world, 40)
    make(world, number=100, status="assigned", outcome="", replied=None, rating="")
    for status in ("draft", "withdrawn", "rejected", "submitted"):
        make(world, status=status)
    late = Assignment.objects.filter(suggestion__number__in=[1, 2, 3])
    late.update(acknowledged_at=ASSIGNED + dt.timedelta(days=40))
    # 五定 plans: two filed on time, one late (not counted on time).
    from suggestions.models import HandlingPlan
    from tests.factories import StaffFactory

    clerk = StaffFactory()
    for number, filed_late in ((4, False), (5, False), (6, True)):
        HandlingPlan.objects.create(
            assignment=Assignment.objects.get(
                suggestion__number=number, role="lead", round=1
            ),
            responsible_leader="王副局长",
            officer="李明",
            officer_phone="0994-2345678",
            measures="调研。",
            complete_by=dt.date(2023, 6, 1),
            due_on=dt.date(2023, 4, 1),
            filed_late=filed_late,
            late_reason="延后。" if filed_late else "",
            filed_by=clerk,
            filed_at=ASSIGNED + dt.timedelta(days=5),
        )
    scope = Scope.of_session(_session(world))
    fast = engine.count(scope, grouping_sets=True)
    portable = engine.count(scope, grouping_sets=False)
    assert fast == portable
    assert fast.plans_on_time == 2
    assert fast.totals["suggestions"] == 41
    assert engine.compute(scope, TODAY, grouping_sets=True) == engine.compute(
        scope, TODAY, grouping_sets=False
    )
    start, end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    Suggestion.objects.update(submitted_at=ASSIGNED)
    period = Scope.of_period(start, end)
    assert engine.count(period, grouping_sets=True) == engine.count(
        period, grouping_sets=False
    )


# --- the unit league table ------------------------------------------------------------


def test_acknowledged_late_counts_late_and_missing_acknowledgements(world):
    """The window is 10 working days after assignment (1 Feb 2023 → 15 Feb): one
    acknowledged on the 16th is late, one on the 15th is not; one not acknowledged
    is late once the window has passed, and until then the snapshot expires the day
    the window ends."""
    for n in (1, 2, 3):
        make(world, number=n, status="assigned", outcome="", replied=None, rating="")
    Assignment.objects.filter(suggestion__number=1).update(
        acknowledged_at=dt.datetime(2023, 2, 16, 9, tzinfo=TZ)
    )
    Assignment.objects.filter(suggestion__number=2).update(
        acknowledged_at=dt.datetime(2023, 2, 15, 23, tzinfo=TZ)
    )
    Assignment.objects.filter(suggestion__number=3).update(acknowledged_at=None)
    session = _session(world)

    early = session_statistics(session, today=dt.date(2023, 2, 10))
    assert early["acknowledged_late"] == 1
    assert SessionStatistics.objects.get(pk=session.pk).expires_on == dt.date(
        2023, 2, 15
    )
    later = session_statistics(session, today=dt.date(2023, 2, 16))
    assert later["acknowledged_late"] == 2
    (row,) = later["units"]
    assert row["acknowledged_late"] == 2
    assert row["assigned"] == 3
    assert set(row) == {
        "unit",
        "assigned",
        "acknowledged_late",
        "replied",
        "on_time",
        "resolved",
        "completion_rate",
        "evaluated",
        "satisfied",
        "satisfaction_rate",
        "rehandled",
        "overdue",
    }
    assert set(row["unit"]) == {"id", "name", "kind"}


def test_acknowledgement_window_counts_the_bodys_own_holidays(world):
    """A regional holiday of the suggestion's body (14 Feb 2023) moves the window's
    end to the 16th, so the acknowledgement of the 16th is on time; the same day
    declared by another body changes nothing."""
    make(world, number=1, status="assigned", outcome="", replied=None, rating="")
    Assignment.objects.filter(suggestion__number=1).update(
        acknowledged_at=dt.datetime(2023, 2, 16, 9, tzinfo=TZ)
    )
    session = _session(world)
    holiday = dt.date(2023, 2, 14)
    CalendarDay.objects.create(
        date=holiday, body=CongressBodyFactory(region="昌吉市"), is_working_day=False
    )
    late = session_statistics(session, today=dt.date(2023, 3, 1))
    assert late["acknowledged_late"] == 1

    CalendarDay.objects.create(
        date=holiday, body=session.congress.body, is_working_day=False, name="节日"
    )
    on_time = session_statistics(session, today=dt.date(2023, 3, 1))
    assert on_time["acknowledged_late"] == 0


def test_overdue_is_counted_live_each_day(world):
    """Overdue depends on the day, not on writes: the same snapshot serves two days
    with two different overdue figures."""
    make(world, number=1, status="assigned", outcome="", replied=None, rating="")
    session = _session(world)
    assert session_statistics(session, today=dt.date(2023, 4, 30))["overdue"] == 0
    stats = session_statistics(session, today=dt.date(2023, 5, 2))
    assert stats["overdue"] == 1
    assert stats["units"][0]["overdue"] == 1
    assert stats["stale"] is False


# --- date range, trend, command -------------------------------------------------------


def test_period_statistics_count_suggestions_submitted_in_the_range(world):
    """The date-range mode counts by submission day (Beijing time, both ends
    included) across sessions."""
    a = make(world, number=1)
    b = make(world, number=2)
    c = make(world, session=world["earlier"], number=1)
    Suggestion.objects.filter(pk=a.pk).update(
        submitted_at=dt.datetime(2023, 1, 10, 0, 30, tzinfo=TZ)
    )
    Suggestion.objects.filter(pk=b.pk).update(
        submitted_at=dt.datetime(2023, 1, 11, 10, tzinfo=TZ)
    )
    Suggestion.objects.filter(pk=c.pk).update(
        submitted_at=dt.datetime(2023, 1, 9, 23, 50, tzinfo=TZ)
    )
    stats = period_statistics(dt.date(2023, 1, 10), dt.date(2023, 1, 10), today=TODAY)
    assert stats["suggestions"] == 1
    assert stats["session"] is None
    assert stats["date_from"] == "2023-01-10"
    assert (
        period_statistics(dt.date(2023, 1, 9), dt.date(2023, 1, 11))["suggestions"] == 3
    )
    with pytest.raises(ValueError):
        period_statistics(dt.date(2023, 1, 11), dt.date(2023, 1, 9))


def test_trend_has_one_row_per_session_by_opening_date(world):
    _fill(world, 5)
    make(world, session=world["earlier"], number=1)
    rows = trend(_session(world), today=TODAY)
    assert [r["session"]["id"] for r in rows] == [
        world["earlier"].pk,
        world["session"].pk,
    ]
    assert [r["suggestions"] for r in rows] == [1, 5]
    assert rows[1]["completion_rate"] == statistics.rate(2, 5)
    assert set(rows[1]) >= {
        "deputies_with_suggestions",
        "satisfaction_rate",
        "on_time_rate",
        "key_supervised",
    }


def test_refresh_statistics_command(world):
    _fill(world, 2)
    out = io.StringIO()
    call_command("refresh_statistics", "--all", stdout=out)
    assert "2 session(s)" in out.getvalue()
    assert SessionStatistics.objects.get(pk=world["session"].pk).suggestions == 2
    call_command(
        "refresh_statistics", "--session", str(world["session"].pk), stdout=out
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No session"):
        call_command("refresh_statistics", "--session", "x")


# --- query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 60])
def test_reads_take_a_fixed_number_of_queries(world, size, django_assert_num_queries):
    """Fresh snapshots: the dashboard reads in 2 queries, the trend in 1, the API
    adds the session's lookup and the caller's bodies (the bodies below theirs, one
    level, and the bodies themselves) — at 5 and at 60 suggestions."""
    _fill(world, size)
    make(world, session=world["earlier"], number=1)
    statistics.refresh_all()
    session = _session(world)
    with django_assert_num_queries(2):
        assert session_statistics(session)["suggestions"] == size
    with django_assert_num_queries(1):
        assert trend(session)[-1]["suggestions"] == size
    client = client_as(StaffFactory())
    url = f"/api/v1/dashboard/?session={session.pk}"
    client.get(url)  # the user's roles are cached from here on
    with django_assert_num_queries(5):  # the session, two for the bodies, two reads
        response = client.get(url)
    assert response.json()["suggestions"] == size
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/dashboard/trend/?session={session.pk}")
    assert response.status_code == 200


def test_the_hook_adds_one_query_to_a_transition(world, monkeypatch):
    """The version bump is one statement in the change's transaction."""
    from django.test.utils import CaptureQueriesContext

    _fill(world, 2)
    staff = StaffFactory()
    ids = list(Suggestion.objects.values_list("pk", flat=True))

    def mark(pk, key):
        with CaptureQueriesContext(connection) as queries:
            services.suggestion_mark_key(
                suggestion_id=pk, actor=staff, key_supervised=key
            )
        return len(queries)

    mark(ids[0], True)  # warm the actor's roles
    with_hook = mark(ids[0], False)
    monkeypatch.setattr("dashboard.changes.session_changed", lambda session_id: None)
    without = mark(ids[1], True)
    assert with_hook - without == 1


# --- the API --------------------------------------------------------------------------


def test_dashboard_api_date_range_and_its_validation(world):
    make(world, number=1)
    Suggestion.objects.update(submitted_at=ASSIGNED)
    client = client_as(StaffFactory())
    ok = client.get("/api/v1/dashboard/?date_from=2023-02-01&date_to=2023-02-28")
    assert ok.status_code == 200
    assert ok.json()["suggestions"] == 1
    for query, field in (
        ("date_from=2023-02-01", "date_to"),
        ("date_to=2023-02-01", "date_from"),
        ("date_from=2023-02-10&date_to=2023-02-01", "date_to"),
        ("date_from=2023-13-01&date_to=2023-02-01", "date_from"),
        (
            f"session={world['session'].pk}&date_from=2023-02-01&date_to=2023-02-02",
            "session",
        ),
    ):
        response = client.get(f"/api/v1/dashboard/?{query}")
        assert response.status_code == 400, query
        assert field in str(response.json()), query


def test_trend_api_is_for_staff_and_leaders(world):
    make(world, number=1)
    url = f"/api/v1/dashboard/trend/?session={world['session'].pk}"
    assert client_as(LeaderFactory()).get(url).status_code == 200
    assert client_as(deputy_user()).get(url).status_code == 403
    assert (
        client_as(StaffFactory())
        .get("/api/v1/dashboard/trend/?session=999999")
        .status_code
        == 400
    )


@override_settings(STATISTICS_SYNC_LIMIT=0)
def test_a_stale_snapshot_still_shows_a_new_units_overdue_suggestions(world):
    """Overdue now is live: a unit that took over a suggestion after the snapshot
    was computed appears in the league table with its overdue count."""
    make(world, number=1, status="assigned", outcome="", replied=None, rating="")
    session = _session(world)
    refresh(session, today=TODAY)
    court = world["units"]["court"]
    Suggestion.objects.filter(session=session).update(lead_unit=court)
    session_changed(session.pk)
    stats = session_statistics(session, today=dt.date(2023, 5, 2))
    assert stats["stale"] is True
    rows = {r["unit"]["id"]: r for r in stats["units"]}
    assert rows[court.pk]["overdue"] == 1
    assert rows[court.pk]["unit"]["kind"] == "court"
    assert rows[world["units"]["government"].pk]["overdue"] == 0


def test_the_hook_works_without_returning(world, monkeypatch):
    """On SQLite older than 3.35 (no RETURNING) the bump is an UPDATE, or an INSERT
    for a session never counted."""
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    session = world["session"]
    SessionStatistics.objects.filter(pk=session.pk).delete()
    session_changed(session.pk)
    assert SessionStatistics.objects.get(pk=session.pk).version == 1
    session_changed(session.pk)
    assert SessionStatistics.objects.get(pk=session.pk).version == 2


def test_a_new_session_has_its_statistics_row(world):
    """Created with the session, so the hook only ever updates it."""
    assert SessionStatistics.objects.filter(pk=world["session"].pk).exists()


def test_the_periodic_refresh_is_scheduled():
    """The beat schedule runs the safety net every minute, and the task exists."""
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-statistics"]
    assert entry["schedule"] == 60.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
