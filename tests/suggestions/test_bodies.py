"""What belongs to a congress body in the handling of suggestions (issue 15): its own
categories (chosen only among them, by the services and on every form), its own
calendar days (a regional holiday moves only its suggestions' windows) and its own
numbering (sessions belong to one body: No. 1 in each)."""

import datetime as dt

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition
from congress.models import CongressLevel
from suggestions import deadlines, services
from suggestions.filters import SuggestionFilter
from suggestions.forms.deputy import SuggestionForm
from suggestions.forms.staff import BulkReviewForm, RegisterForm
from suggestions.models import Status, Suggestion
from tests.conftest import at
from tests.factories import (
    CalendarDayFactory,
    CategoryFactory,
    CongressBodyFactory,
    CongressFactory,
    Journey,
    SessionFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies():
    """The prefecture's body and one county's under it."""
    prefecture = CongressBodyFactory()
    county = CongressBodyFactory(
        region="玛纳斯县", level=CongressLevel.COUNTY, parent=prefecture
    )
    return prefecture, county


def journey_in(body, **kwargs) -> Journey:
    return Journey(
        session=SessionFactory(congress=CongressFactory(body=body)), **kwargs
    )


# --- numbering ---------------------------------------------------------------------------


def test_each_body_numbers_its_own_sessions_from_one(bodies):
    """A No. 1 in a session of each body, both filed through the service."""
    prefecture, county = bodies
    here = journey_in(prefecture).to(Status.REGISTERED)
    there = journey_in(county).to(Status.REGISTERED)
    assert (here.number, there.number) == (1, 1)
    assert here.session.congress.body_id != there.session.congress.body_id
    assert Suggestion.objects.filter(number=1).count() == 2


# --- categories --------------------------------------------------------------------------


def test_filing_refuses_another_bodys_category(bodies):
    """Filing a county suggestion under the prefecture's category is refused on
    the field "category"; nothing is numbered."""
    prefecture, county = bodies
    journey = journey_in(county)
    s = journey.to(Status.SUBMITTED)
    theirs = CategoryFactory(body=prefecture, name=journey.category.name)
    with pytest.raises(InvalidInput) as refused:
        services.suggestion_register(
            suggestion_id=s.pk, actor=journey.staff, category=theirs.pk
        )
    assert refused.value.field == "category"
    s.refresh_from_db()
    assert (s.status, s.number, s.category_id) == (Status.SUBMITTED, None, None)
    services.suggestion_register(
        suggestion_id=s.pk, actor=journey.staff, category=journey.category
    )
    assert s.__class__.objects.get(pk=s.pk).category == journey.category


def test_a_draft_takes_only_a_category_of_its_body(bodies):
    prefecture, county = bodies
    journey = journey_in(county)
    theirs = CategoryFactory(body=prefecture)
    with pytest.raises(InvalidInput) as refused:
        journey.create(category=theirs)
    assert refused.value.field == "category"
    draft = journey.create(category=journey.category.pk)
    with pytest.raises(InvalidInput):
        services.suggestion_update(
            suggestion_id=draft.pk, actor=journey.deputy, category=theirs.pk
        )
    draft.refresh_from_db()
    assert draft.category == journey.category


def test_the_forms_offer_the_bodys_categories(bodies):
    """Filing, drafting and the bulk review offer the body's categories only; the
    list filter those of the caller's bodies."""
    prefecture, county = bodies
    ours = CategoryFactory(body=county, name="教育")
    theirs = CategoryFactory(body=prefecture, name="教育")
    journey = journey_in(county)

    def offered(field) -> set[int]:
        return set(field.queryset.values_list("pk", flat=True))

    register = RegisterForm(body=county.pk)
    assert offered(register.fields["category"]) == {ours.pk, journey.category.pk}
    draft = SuggestionForm(deputy=journey.deputy.deputy_profile)
    assert offered(draft.fields["category"]) == {ours.pk, journey.category.pk}
    bulk = BulkReviewForm(candidates=Suggestion.objects.none(), bodies={county.pk})
    assert theirs.pk not in offered(bulk.fields["category"])
    listing = SuggestionFilter(queryset=Suggestion.objects.all(), bodies={county.pk})
    assert offered(listing.filters["category"]) == {ours.pk, journey.category.pk}


# --- the calendar ------------------------------------------------------------------------


def assign_at(journey: Journey, moment) -> Journey:
    with clock.frozen_at(moment):
        journey.to(Status.REGISTERED)
        journey.assign()
    return journey


def ask_reassignment(journey, moment):
    with clock.frozen_at(moment):
        return services.assignment_request_reassignment(
            assignment_id=journey.lead_assignment().pk,
            actor=journey.clerk,
            reason="不属于本单位职责",
        )


def test_a_regional_holiday_moves_only_that_bodys_windows(bodies):
    """Assigned 10 Feb 2026 the reassignment window ends 2 Mar; a holiday of the
    county on 27 Feb moves it to 3 Mar for the county's suggestion only."""
    prefecture, county = bodies
    CalendarDayFactory(
        date=D(2026, 2, 27), body=county, is_working_day=False, name="地方假日"
    )
    here = assign_at(journey_in(prefecture), at(2026, 2, 10))
    there = assign_at(journey_in(county), at(2026, 2, 10))

    with pytest.raises(InvalidTransition):
        ask_reassignment(here, at(2026, 3, 3, 9))
    assert ask_reassignment(there, at(2026, 3, 3, 9)).decision == "pending"

    def window(journey) -> D:
        rules = deadlines.rules_for(journey.session.congress_id)
        return deadlines.rating_window_end(rules, D(2026, 2, 10)).date

    assert window(there) == window(here) + dt.timedelta(days=1)
