"""The Changji 2023 figures (the year-end review) through every path of the engine:
the stored snapshot, a read of it, the live computation, and on PostgreSQL the
GROUPING SETS scan against the portable aggregates."""

import io

import pytest
from django.db import connection
from django.utils import timezone

from dashboard import engine
from dashboard.engine import Scope
from dashboard.statistics import (
    live_statistics,
    refresh,
    session_statistics,
    trend,
)
from tests.article import check_article_figures

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(demo):
    return demo.sessions


def check(figures, sessions):
    """Every figure of the article, exactly, and the engine's own."""
    check_article_figures(figures, sessions)
    assert figures["change"] == 66
    assert sum(r["assigned"] for r in figures["units"]) == 295
    assert figures["stale"] is False


def test_demo_figures_through_the_snapshot(sessions, django_assert_num_queries):
    first = session_statistics(sessions["2023"], today=TODAY)  # computed and stored
    check(first, sessions)
    # As ``load_demo`` (the command) leaves it: every snapshot computed. The change
    # against 2022 then reads 2022's snapshot too, in the same query.
    refresh(sessions["2022"], today=TODAY)
    with django_assert_num_queries(2):
        again = session_statistics(sessions["2023"], today=TODAY)
    check(again, sessions)
    assert again == first


def test_demo_figures_computed_live(sessions):
    check(live_statistics(sessions["2023"], today=TODAY), sessions)


def test_demo_trend(sessions):
    rows = {r["session"]["id"]: r for r in trend(sessions["2023"], today=TODAY)}
    assert rows[sessions["2022"].pk]["suggestions"] == 229
    assert rows[sessions["2023"].pk]["suggestions"] == 295
    assert rows[sessions["2023"].pk]["completion_rate"] == 93.2
    assert rows[sessions["2023"].pk]["satisfaction_rate"] == 100.0
    assert rows[sessions["2023"].pk]["key_supervised"] == 36


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_demo_grouping_sets_equal_the_portable_path(sessions):
    for session in sessions.values():
        scope = Scope.of_session(session)
        assert engine.count(scope, grouping_sets=True) == engine.count(
            scope, grouping_sets=False
        )
        assert engine.compute(scope, TODAY, grouping_sets=True) == engine.compute(
            scope, TODAY, grouping_sets=False
        )


def test_load_demo_leaves_every_snapshot_fresh(sessions):
    """The command refreshes every session's snapshot after loading (here: after
    finding the demo already loaded), so the first dashboard read is fast."""
    from django.core.management import call_command

    from dashboard.models import SessionStatistics

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "statistics refreshed" in out.getvalue()
    for session in sessions.values():
        assert SessionStatistics.objects.get(pk=session.pk).is_fresh(TODAY)
