"""The figures of the three meetings (三见面) and of the leaders' part in key
suggestions: first lead assignments with a contact of each stage and their share,
key suggestions led by a government leader, supervision activities by kind; and the
review's sentences about them."""

import datetime as dt

import pytest
from django.utils import translation

from congress.models import Session
from dashboard import review
from dashboard.statistics import session_statistics
from suggestions.models import (
    Assignment,
    ContactRecord,
    HandlingLeader,
    SupervisionActivity,
)

from .test_statistics import ASSIGNED, TODAY, make

pytestmark = pytest.mark.django_db


def _contact(world, suggestion, stage, *, round=1):
    assignment = Assignment.objects.get(suggestion=suggestion, round=round)
    ContactRecord.objects.create(
        assignment=assignment,
        method="visit",
        stage=stage,
        contacted_at=ASSIGNED + dt.timedelta(days=3),
        recorded_by=world["clerk"],
    )


def _activity(world, suggestion, kind):
    SupervisionActivity.objects.create(
        suggestion=suggestion,
        kind=kind,
        held_on=dt.date(2023, 4, 1),
        place="奇台县",
        recorded_by=world["clerk"],
    )


@pytest.fixture
def figures(world):
    """Four suggestions: every one met before replying (``make``'s contact), two
    before handling, one during it (and one more during its second round, which is
    not judged); two key, one led by a government leader, with a visit and a
    forum; a visit on a suggestion that is not key is not counted."""
    a = make(world, number=1, key=True)
    b = make(world, number=2, key=True)
    c = make(world, number=3, round=2, status="replied")
    d = make(world, number=4)
    _contact(world, a, "before")
    _contact(world, b, "before")
    _contact(world, b, "during")
    _contact(world, c, "during", round=2)
    HandlingLeader.objects.create(
        suggestion=a, name="王建华", post="副州长", set_by=world["clerk"]
    )
    _activity(world, a, "visit")
    _activity(world, b, "forum")
    _activity(world, d, "visit")
    session = Session.objects.select_related("congress").get(pk=world["session"].pk)
    return session, session_statistics(session, today=TODAY)


def test_contacts_are_counted_per_stage_on_first_lead_assignments(figures):
    _session, stats = figures
    assert stats["lead_assignments"] == 4
    assert stats["contacts_by_stage"] == {"before": 2, "during": 1, "before_reply": 4}
    assert stats["contact_stage_rates"] == {
        "before": 50.0,
        "during": 25.0,
        "before_reply": 100.0,
    }


def test_the_leaders_part_counts_key_suggestions_only(figures):
    _session, stats = figures
    assert stats["key_with_leading_leader"] == 1
    assert stats["supervision_activities"] == {"visit": 1, "forum": 1, "on_site": 0}


def test_the_review_states_the_meetings_and_the_supervision(figures):
    session, stats = figures
    with translation.override("zh-hans"):
        chinese = review.build(session, stats=stats)
    text = "".join(chinese.paragraphs)
    assert (
        "各承办单位落实“三见面”工作机制，4件主办建议中，办理前与人大代表见面沟通2件、"
        "办理中1件、答复前4件，答复前见面率100%。"
    ) in text
    assert "1件重点督办建议由政府领导领衔办理" in text
    assert "开展调研视察1次、召开座谈会1次" in text
    with translation.override("en"):
        english = " ".join(review.build(session, stats=stats).paragraphs)
    assert "before handling 2, during handling 1 and before replying 4" in english
    assert "Government leaders led the handling of 1 key suggestions." in english


def test_an_old_snapshot_without_these_figures_reads_null(figures):
    """A snapshot stored before the figures existed answers null, and the review
    leaves the sentences out rather than print zeros."""
    session, stats = figures
    from dashboard.statistics import contact_stage_figures, leaders_figures

    old = {**stats, **contact_stage_figures({}), **leaders_figures({})}
    assert old["contact_stage_rates"] == {
        "before": None,
        "during": None,
        "before_reply": None,
    }
    with translation.override("zh-hans"):
        text = "".join(review.build(session, stats=old).paragraphs)
    assert "三见面" not in text and "领衔办理" not in text
