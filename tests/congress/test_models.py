"""The institution's models: the rules the database and ``clean`` enforce, and the
roles a user derives from what the account is linked to."""

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role
from congress.models import (
    CalendarDay,
    Congress,
    HandlerGroup,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
)
from tests.factories import (
    CalendarDayFactory,
    CongressFactory,
    DeputyFactory,
    HandlingRulesFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def refused():
    """The statement inside fails with IntegrityError and is rolled back alone."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# --- congress and sessions -----------------------------------------------------------


def test_a_congress_term_exists_once():
    """Region, level and term identify a congress."""
    congress = CongressFactory()
    with refused():
        Congress.objects.create(
            region=congress.region, level=congress.level, ordinal=congress.ordinal
        )
    Congress.objects.create(region=congress.region, level=congress.level, ordinal=15)


def test_session_numbers_are_unique_in_a_congress():
    """A congress has one session 2."""
    SessionFactory(ordinal=2)
    with refused():
        SessionFactory(ordinal=2)


def test_one_current_session_per_congress():
    """At most one session of a congress is current; other congresses have theirs."""
    SessionFactory(is_current=True)
    with refused():
        SessionFactory(is_current=True)
    SessionFactory(is_current=True, congress=CongressFactory(region="伊犁"))
    assert Session.objects.filter(is_current=True).count() == 2


def test_current_session():
    """``current()`` is the session marked current (None if there is none)."""
    assert Session.objects.current() is None
    SessionFactory(opened_on=dt.date(2025, 1, 10))
    current = SessionFactory(opened_on=dt.date(2026, 1, 10), is_current=True)
    assert Session.objects.current() == current


# --- handling rules ------------------------------------------------------------------


def test_rules_default_to_rules_md():
    """New rules carry RULES.md's defaults and pass validation."""
    rules = HandlingRulesFactory()
    rules.full_clean()
    assert (rules.reply_months, rules.max_extension_months) == (3, 6)


@pytest.mark.parametrize(
    "values",
    [
        {"reply_months": 7, "max_extension_months": 6},
        {"reply_months": 0},
        {"rehandling_reply_months": 0},
        {"co_unit_opinion_months": 0},
    ],
)
def test_rules_refuse_impossible_limits(values):
    """The database refuses an extension limit shorter than the reply time, and
    zero-month windows."""
    rules = HandlingRulesFactory()
    with refused():
        HandlingRules.objects.filter(pk=rules.pk).update(**values)


@pytest.mark.parametrize(
    "outcomes",
    [[], ["resolved", "great"], ["in_progress", "explained"], "resolved", None],
)
def test_rules_offer_valid_reply_classes_including_resolved(outcomes):
    """Offered classes must be a non-empty list of outcomes that includes
    'resolved'."""
    rules = HandlingRulesFactory.build(congress=CongressFactory())
    rules.offered_outcomes = outcomes
    with pytest.raises(ValidationError) as error:
        rules.clean()
    assert "offered_outcomes" in error.value.message_dict


def test_rules_may_offer_all_four_classes():
    """The NPC scheme's four classes are valid."""
    rules = HandlingRulesFactory.build(congress=CongressFactory())
    rules.offered_outcomes = ["resolved", "in_progress", "explained", "reference"]
    rules.clean()


def test_one_rules_row_per_congress():
    """A congress has one set of rules."""
    rules = HandlingRulesFactory()
    with refused():
        HandlingRules.objects.create(congress=rules.congress)


# --- units ---------------------------------------------------------------------------


def test_unit_kind_is_checked():
    """A unit kind outside the choices is refused by the database."""
    unit = HandlingUnitFactory()
    with refused():
        HandlingUnit.objects.filter(pk=unit.pk).update(kind="ministry")


def test_a_unit_is_not_its_own_parent():
    """Both the database and ``clean`` refuse a unit that is its own parent."""
    unit = HandlingUnitFactory()
    with refused():
        HandlingUnit.objects.filter(pk=unit.pk).update(parent=unit)
    unit.parent = unit
    with pytest.raises(ValidationError):
        unit.clean()


@pytest.mark.parametrize(
    ("kind", "group"),
    [
        (UnitKind.GOVERNMENT, HandlerGroup.GOVERNMENT),
        (UnitKind.STANDING_COMMITTEE_BODY, HandlerGroup.STANDING_COMMITTEE),
        (UnitKind.SUPERVISORY_COMMISSION, HandlerGroup.OTHER_ORGANS),
        (UnitKind.COURT, HandlerGroup.OTHER_ORGANS),
        (UnitKind.PROCURATORATE, HandlerGroup.OTHER_ORGANS),
        (UnitKind.OTHER, HandlerGroup.OTHER_ORGANS),
    ],
)
def test_handler_groups_of_the_annual_review(kind, group):
    """Units group as the annual review reports them (government / other organs /
    standing committee bodies)."""
    assert HandlerGroup.of_kind(kind) == group


def test_calendar_days_are_unique():
    """A date is entered once."""
    CalendarDayFactory(date=dt.date(2027, 1, 1))
    with refused():
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=True)


# --- roles ---------------------------------------------------------------------------


def test_roles_come_from_links():
    """Staff and leaders by group, units by membership, deputies by the linked
    deputy; a person may hold several."""
    assert StaffFactory().roles == [Role.STAFF]
    assert LeaderFactory().roles == [Role.LEADER]
    assert UnitMemberFactory().roles == [Role.UNIT]
    clerk_deputy = UnitMemberFactory()
    DeputyFactory(user=clerk_deputy)
    assert clerk_deputy.roles == [Role.UNIT, Role.DEPUTY]
    assert UserFactory().roles == []
    assert UserFactory(is_superuser=True).is_congress_staff is True


def test_an_inactive_account_has_no_role():
    """A deactivated account loses every role."""
    user = StaffFactory(is_active=False, unit=HandlingUnitFactory())
    DeputyFactory(user=user)
    assert user.roles == []
    assert user.deputy_profile is None
