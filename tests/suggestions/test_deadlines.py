"""Time limits: calendar months from the assignment date for replies (Law on Deputies,
art. 51), working days on the Chinese calendar for the reassignment and rating
windows, each taken from the congress's HandlingRules."""

import datetime as dt

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition
from congress.models import HandlingRules
from suggestions import deadlines, services
from suggestions.models import AdjustmentRequest, Status
from tests.conftest import at
from tests.factories import (
    CalendarDayFactory,
    CongressFactory,
    HandlingRulesFactory,
    Journey,
)

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return deadlines.rules_for(CongressFactory())


def test_default_rules_are_those_of_rules_md(rules):
    """A congress without rules gets RULES.md's defaults; reading them writes
    nothing, and rules the staff saved are the ones read."""
    assert (
        rules.reply_months,
        rules.complex_reply_months,
        rules.max_extension_months,
        rules.reassignment_window_working_days,
        rules.co_unit_opinion_months,
        rules.rating_window_working_days,
        rules.rehandling_reply_months,
        rules.contact_reminder_working_days,
        rules.max_rehandling_rounds,
        rules.offered_outcomes,
    ) == (3, 6, 6, 10, 1, 15, 1, 20, 1, ["resolved", "in_progress", "explained"])
    assert rules.pk is None
    assert not HandlingRules.objects.exists()
    rules.reply_months = 2
    rules.save()
    assert deadlines.rules_for(rules.congress_id).reply_months == 2


# --- the pure functions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned", "complexity", "due"),
    [
        (D(2026, 3, 10), "normal", D(2026, 6, 10)),
        (D(2026, 3, 10), "complex", D(2026, 9, 10)),
        (D(2025, 11, 30), "normal", D(2026, 2, 28)),
        (D(2026, 8, 31), "complex", D(2027, 2, 28)),
        (D(2027, 11, 30), "normal", D(2028, 2, 29)),
    ],
)
def test_reply_due(rules, assigned, complexity, due):
    """Three calendar months (six if complex) from the assignment date, clamped to
    month ends."""
    assert deadlines.reply_due(rules, assigned, complexity) == due


def test_co_unit_due_is_a_month_and_clamps_at_month_end(rules):
    """A co-unit's opinion is due one month after assignment: 31 Jan → 28 Feb."""
    lead_due = deadlines.reply_due(rules, D(2026, 1, 31), "normal")
    assert lead_due == D(2026, 4, 30)
    assert deadlines.co_unit_due(rules, D(2026, 1, 31), lead_due) == D(2026, 2, 28)


def test_co_unit_due_never_after_the_lead_due(rules):
    """Where the co-unit window is longer than the lead's, it ends with the lead's."""
    rules.co_unit_opinion_months = 4
    assert deadlines.co_unit_due(rules, D(2026, 3, 10), D(2026, 6, 10)) == D(
        2026, 6, 10
    )


@pytest.mark.parametrize(
    ("rated", "due"),
    [(D(2026, 1, 31), D(2026, 2, 28)), (D(2028, 1, 31), D(2028, 2, 29))],
)
def test_rehandling_due(rules, rated, due):
    """Re-handling is due one month after it starts, clamped to the month end."""
    assert deadlines.rehandling_due(rules, rated) == due


@pytest.mark.parametrize(
    ("first", "limit"),
    [(D(2026, 3, 10), D(2026, 9, 10)), (D(2026, 8, 31), D(2027, 2, 28))],
)
def test_extension_limit(rules, first, limit):
    """A deadline may be extended to six months after the first assignment."""
    assert deadlines.extension_limit(rules, first) == limit


def test_reassignment_window_counts_spring_festival_off(rules):
    """Ten working days from 10 Feb 2026 end on 2 Mar: the festival is skipped,
    the make-up Saturdays 14 and 28 Feb count."""
    window = deadlines.reassignment_window_end(rules, D(2026, 2, 10))
    assert (window.date, window.unannounced_years) == (D(2026, 3, 2), ())


def test_rating_window_is_fifteen_working_days(rules):
    """Fifteen working days from a reply on 13 Feb 2026 end on 12 Mar."""
    assert deadlines.rating_window_end(rules, D(2026, 2, 13)).date == D(2026, 3, 12)


def test_windows_follow_the_rules(rules):
    """Another number of working days in the rules gives another window."""
    rules.reassignment_window_working_days = 5
    assert deadlines.reassignment_window_end(rules, D(2026, 2, 10)).date == D(
        2026, 2, 24
    )


# --- deadlines as the services set them --------------------------------------------------


def assign_at(moment, **kwargs) -> Journey:
    journey = Journey(co_unit=True)
    with clock.frozen_at(moment):
        journey.to(Status.REGISTERED)
        journey.assign(**kwargs)
    return journey


def test_assignment_on_31_january(db):
    """Assigned 31 Jan 2026: the lead reply is due 30 Apr, the co-unit's opinion
    28 Feb (month end), a complex matter 31 Jul."""
    journey = assign_at(at(2026, 1, 31))
    assert journey.lead_assignment().due_at == D(2026, 4, 30)
    assert journey.co_assignment().due_at == D(2026, 2, 28)
    complex_journey = assign_at(at(2026, 1, 31), complexity="complex")
    assert complex_journey.refresh().due_at == D(2026, 7, 31)


def test_the_assignment_date_is_the_local_date(db):
    """Assigned at 00:30 on 1 Feb in Beijing (31 Jan in UTC), the reply is due
    1 May."""
    journey = assign_at(at(2026, 2, 1, 0, 30))
    assert journey.refresh().due_at == D(2026, 5, 1)


def test_co_unit_due_capped_by_the_rules(db):
    """With a co-unit window longer than the reply window, the co-unit is due with
    the lead unit."""
    journey = Journey(co_unit=True)
    HandlingRulesFactory(
        congress=journey.session.congress, co_unit_opinion_months=4, reply_months=3
    )
    with clock.frozen_at(at(2026, 3, 10)):
        journey.to(Status.ASSIGNED)
    assert journey.co_assignment().due_at == journey.lead_assignment().due_at
    assert journey.co_assignment().due_at == D(2026, 6, 10)


def ask_reassignment(journey, moment):
    with clock.frozen_at(moment):
        return services.assignment_request_reassignment(
            assignment_id=journey.lead_assignment().pk,
            actor=journey.clerk,
            reason="不属于本单位职责",
        )


def test_reassignment_window_across_spring_festival(db):
    """Assigned 10 Feb 2026, a unit may still ask on 2 Mar (not merely until 24 Feb
    as Monday–Friday would say) and no longer on 3 Mar."""
    journey = assign_at(at(2026, 2, 10))
    with pytest.raises(InvalidTransition):
        ask_reassignment(journey, at(2026, 3, 3, 8))
    request = ask_reassignment(journey, at(2026, 3, 2, 23, 59))
    assert request.decision == "pending"


def test_reassignment_window_with_a_staff_holiday(db):
    """A local holiday entered by staff lengthens the window by a day."""
    CalendarDayFactory(date=D(2026, 2, 27), is_working_day=False, name="地方假日")
    journey = assign_at(at(2026, 2, 10))
    assert ask_reassignment(journey, at(2026, 3, 3, 9)).decision == "pending"


def test_reassignment_window_into_an_unannounced_year(db):
    """A window running into 2027 counts 2027 Monday–Friday and never crashes:
    assigned 18 Dec 2026, the last day is Fri 1 Jan 2027."""
    journey = assign_at(at(2026, 12, 18))
    with pytest.raises(InvalidTransition):
        ask_reassignment(journey, at(2027, 1, 4))
    assert ask_reassignment(journey, at(2027, 1, 1)).decision == "pending"


def test_rehandling_due_a_month_after_the_rating(db):
    """Rated dissatisfied on 31 Jan 2026, the re-handling reply is due 28 Feb."""
    journey = Journey()
    with clock.frozen_at(at(2025, 11, 3)):
        journey.to(Status.REPLIED)
    with clock.frozen_at(at(2026, 1, 31, 9)):
        journey.evaluate("dissatisfied")
    assert journey.refresh().due_at == D(2026, 2, 28)
    assert journey.lead_assignment().due_at == D(2026, 2, 28)


def test_extension_limit_from_a_month_end_assignment(db):
    """Assigned 31 Aug 2026, an extension may reach 28 Feb 2027 and not 1 Mar."""
    journey = Journey()
    with clock.frozen_at(at(2026, 8, 31)):
        journey.to(Status.ASSIGNED)
        assignment = journey.lead_assignment()
        assert assignment.due_at == D(2026, 11, 30)
        with pytest.raises(InvalidInput):
            services.assignment_request_extension(
                assignment_id=assignment.pk,
                actor=journey.clerk,
                reason="x",
                until=D(2027, 3, 1),
            )
        services.assignment_request_extension(
            assignment_id=assignment.pk,
            actor=journey.clerk,
            reason="x",
            until=D(2027, 2, 28),
        )
    assert AdjustmentRequest.objects.get().requested_until == D(2027, 2, 28)
