"""The lead deputy's rating: satisfied closes; dissatisfied opens a re-handling round
with a new lead assignment due a month later; dissatisfied in the last allowed round
closes the suggestion flagged for escalation."""

import datetime as dt

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from suggestions import services
from suggestions.models import Assignment, AssignmentRole, Evaluation, Event, Status
from tests.conftest import NOW, at
from tests.factories import HandlingRulesFactory, Journey

pytestmark = pytest.mark.django_db


def last_event(suggestion) -> Event:
    return Event.objects.filter(suggestion=suggestion).latest("pk")


@pytest.fixture
def replied(journey):
    return journey.to(Status.REPLIED)


class TestSatisfied:
    @pytest.mark.parametrize("rating", ["satisfied", "basically_satisfied"])
    def test_a_positive_rating_closes_the_suggestion(self, journey, replied, rating):
        """Satisfied or basically satisfied closes the suggestion; the evaluation is
        kept for round 1."""
        evaluation = services.suggestion_evaluate(
            suggestion_id=replied.pk,
            actor=journey.deputy,
            rating=rating,
            comment=" 好 ",
        )
        evaluation.refresh_from_db()
        assert (
            evaluation.round,
            evaluation.deputy,
            evaluation.rating,
            evaluation.comment,
            evaluation.created_at,
        ) == (1, journey.deputy.deputy_profile, rating, "好", NOW)
        s = journey.refresh()
        assert (s.status, s.rating, s.closed_at, s.round, s.escalated) == (
            Status.CLOSED,
            rating,
            NOW,
            1,
            False,
        )
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "evaluate",
            "replied",
            "closed",
        )
        assert event.data == {
            "rating": rating,
            "attitude": "",
            "round": 1,
            "channel": "online",
        }


class TestDissatisfied:
    def test_dissatisfied_starts_round_two_due_a_month_later(self, journey, replied):
        """A dissatisfied rating opens round 2: a new active lead assignment for the
        same unit, due one month after the rating, the first one left as it was."""
        rated = at(2026, 5, 31, 16)
        with clock.frozen_at(rated):
            services.suggestion_evaluate(
                suggestion_id=replied.pk,
                actor=journey.deputy,
                rating="dissatisfied",
                comment="路灯仍未安装",
            )
        s = journey.refresh()
        assert (s.status, s.round, s.rating, s.due_at, s.closed_at, s.escalated) == (
            Status.REHANDLING,
            2,
            "dissatisfied",
            dt.date(2026, 6, 30),
            None,
            False,
        )
        rows = list(
            s.assignments.order_by("round").values_list(
                "round", "unit", "role", "active", "assigned_at", "due_at", "replied_at"
            )
        )
        assert rows == [
            (1, journey.unit.pk, "lead", True, NOW, dt.date(2026, 6, 10), NOW),
            (2, journey.unit.pk, "lead", True, rated, dt.date(2026, 6, 30), None),
        ]
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "evaluate",
            "replied",
            "rehandling",
            "路灯仍未安装",
        )
        assert event.data == {
            "rating": "dissatisfied",
            "attitude": "",
            "round": 1,
            "channel": "online",
            "rehandling_round": 2,
            "due_at": "2026-06-30",
        }

    def test_round_two_runs_like_round_one(self, journey, replied):
        """In round 2 the unit acknowledges and replies again, and the second rating
        is a separate evaluation."""
        journey.evaluate("dissatisfied")
        with clock.frozen_at(at(2026, 3, 20)):
            journey.reply(outcome="in_progress")
        s = journey.refresh()
        assert (s.status, s.outcome, s.replied_at) == (
            Status.REPLIED,
            "in_progress",
            at(2026, 3, 20),
        )
        journey.evaluate("basically_satisfied")
        s = journey.refresh()
        assert (s.status, s.rating, s.escalated) == (
            Status.CLOSED,
            "basically_satisfied",
            False,
        )
        assert list(s.evaluations.values_list("round", "rating")) == [
            (1, "dissatisfied"),
            (2, "basically_satisfied"),
        ]

    def test_a_round_one_assignment_cannot_answer_round_two(self, journey, replied):
        """The first round's assignment is no longer current once re-handling
        starts (InvalidTransition)."""
        first = journey.lead_assignment()
        journey.evaluate("dissatisfied")
        with pytest.raises(InvalidTransition):
            services.assignment_record_contact(
                assignment_id=first.pk,
                actor=journey.clerk,
                method="phone",
                contacted_at=NOW,
            )

    def test_dissatisfied_in_the_last_round_closes_for_escalation(
        self, journey, replied
    ):
        """With one re-handling round allowed (the default), a second dissatisfied
        rating closes the suggestion with escalated=True and no third round."""
        journey.evaluate("dissatisfied")
        journey.reply()
        services.suggestion_evaluate(
            suggestion_id=replied.pk,
            actor=journey.deputy,
            rating="dissatisfied",
            comment="仍不满意",
        )
        s = journey.refresh()
        assert (s.status, s.rating, s.round, s.escalated, s.closed_at) == (
            Status.CLOSED,
            "dissatisfied",
            2,
            True,
            NOW,
        )
        assert Assignment.objects.filter(round=3).count() == 0
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "evaluate",
            "replied",
            "closed",
            "仍不满意",
        )
        assert event.data == {
            "rating": "dissatisfied",
            "attitude": "",
            "round": 2,
            "channel": "online",
            "escalated": True,
        }

    def test_no_rehandling_allowed_closes_at_once(self, db, now):
        """Where the rules allow no re-handling, the first dissatisfied rating
        closes the suggestion for escalation."""
        journey = Journey()
        HandlingRulesFactory(congress=journey.session.congress, max_rehandling_rounds=0)
        journey.to(Status.REPLIED)
        journey.evaluate("dissatisfied")
        s = journey.refresh()
        assert (s.status, s.round, s.escalated) == (Status.CLOSED, 1, True)
        assert Assignment.objects.count() == 1

    def test_two_rounds_allowed_gives_a_third(self, db, now):
        """With two re-handling rounds allowed, the second dissatisfied rating opens
        round 3, with the rules' re-handling months."""
        journey = Journey()
        HandlingRulesFactory(
            congress=journey.session.congress,
            max_rehandling_rounds=2,
            rehandling_reply_months=2,
        )
        journey.to(Status.REPLIED)
        journey.evaluate("dissatisfied")
        journey.reply()
        journey.evaluate("dissatisfied")
        s = journey.refresh()
        assert (s.status, s.round, s.due_at, s.escalated) == (
            Status.REHANDLING,
            3,
            dt.date(2026, 5, 10),
            False,
        )
        assert (
            Assignment.objects.filter(round=3, role=AssignmentRole.LEAD, active=True)
            .get()
            .unit
            == journey.unit
        )

    def test_rehandling_goes_to_the_unit_that_took_over(self, journey):
        """After a reassignment, re-handling goes to the current lead unit."""
        from tests.factories import HandlingUnitFactory, UnitMemberFactory

        journey.to(Status.ASSIGNED)
        request = services.assignment_request_reassignment(
            assignment_id=journey.lead_assignment().pk, actor=journey.clerk, reason="x"
        )
        new_unit = HandlingUnitFactory()
        services.adjustment_approve(
            request_id=request.pk, actor=journey.staff, new_unit=new_unit
        )
        journey.unit, journey.clerk = new_unit, UnitMemberFactory(unit=new_unit)
        journey.reply()
        journey.evaluate("dissatisfied")
        assert journey.lead_assignment().unit == new_unit
        assert journey.lead_assignment().round == 2


class TestRefusals:
    @pytest.mark.parametrize(
        "start", [Status.ASSIGNED, Status.REHANDLING, Status.CLOSED]
    )
    def test_only_a_replied_suggestion_is_rated(self, journey, unchanged, start):
        """Before the reply, during re-handling and after closing: InvalidTransition,
        no evaluation written."""
        s = journey.to(start)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_evaluate(
                suggestion_id=s.pk, actor=journey.deputy, rating="satisfied"
            )

    @pytest.mark.parametrize("who", ["cosigner", "staff", "clerk"])
    def test_only_the_lead_deputy_rates(self, journey, replied, unchanged, who):
        """A co-signer, staff or the unit may see the reply but not rate it
        (NotPermitted)."""
        with unchanged(replied), pytest.raises(NotPermitted):
            services.suggestion_evaluate(
                suggestion_id=replied.pk,
                actor=getattr(journey, who),
                rating="satisfied",
            )

    def test_another_deputy_finds_nothing(
        self, journey, replied, other_deputy, unchanged
    ):
        """A deputy with no part in it gets NotFound."""
        with unchanged(replied), pytest.raises(NotFound):
            services.suggestion_evaluate(
                suggestion_id=replied.pk, actor=other_deputy, rating="satisfied"
            )

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"rating": "great"}, "rating"),
            ({"rating": None}, "result"),
            ({"rating": "dissatisfied"}, "comment"),
            ({"rating": "dissatisfied", "comment": "  "}, "comment"),
            ({"rating": "satisfied", "comment": 3}, "comment"),
        ],
    )
    def test_bad_input(self, journey, replied, unchanged, kwargs, field):
        """An unknown rating, or dissatisfied without saying why: InvalidInput, no
        evaluation, no new round."""
        with unchanged(replied), pytest.raises(InvalidInput) as error:
            services.suggestion_evaluate(
                suggestion_id=replied.pk, actor=journey.deputy, **kwargs
            )
        assert error.value.field == field
        assert Evaluation.objects.count() == 0
