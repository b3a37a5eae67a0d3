"""The institution's models: the rules the database and ``clean`` enforce, and the
roles a user derives from what the account is linked to."""

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.models import Role
from congress.models import (
    CalendarDay,
    Congress,
    CongressLevel,
    HandlerGroup,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
)
from tests.factories import (
    CalendarDayFactory,
    CongressBodyFactory,
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


def test_a_congress_term_exists_once_per_body():
    """A body has one 16th congress; another body has its own."""
    congress = CongressFactory()
    with refused():
        Congress.objects.create(body=congress.body, ordinal=congress.ordinal)
    Congress.objects.create(body=congress.body, ordinal=15)
    other = CongressBodyFactory(region="玛纳斯县", level=CongressLevel.COUNTY)
    Congress.objects.create(body=other, ordinal=congress.ordinal)
    assert Congress.objects.filter(ordinal=congress.ordinal).count() == 2


def test_a_congress_reads_region_and_level_from_its_body():
    """Region and level live on the body; the congress's name still shows them."""
    congress = CongressFactory(body__region="玛纳斯县", body__level="county")
    assert (congress.region, congress.level) == ("玛纳斯县", "county")
    assert "玛纳斯县" in congress.name


def test_names_write_the_term_and_session_in_the_languages_way():
    """第十六届…第二次会议 in Chinese, as an office writes them; 16 and 2 in English."""
    session = SessionFactory(congress=CongressFactory(ordinal=16), ordinal=2, year=2023)
    with translation.override("zh-hans"):
        assert str(session) == "昌吉回族自治州第十六届人民代表大会第二次会议（2023年）"
    with translation.override("en"):
        assert str(session) == (
            "昌吉回族自治州 People's Congress, term 16, session 2 (2023)"
        )


def test_unit_names_are_unique_per_body():
    """Two bodies may each have a 教育局; one body may not have two."""
    HandlingUnitFactory(name="教育局")
    other = CongressBodyFactory(region="昌吉市", level=CongressLevel.COUNTY)
    HandlingUnitFactory(name="教育局", body=other)
    with refused():
        HandlingUnitFactory(name="教育局")
    assert HandlingUnit.objects.filter(name="教育局").count() == 2


def test_a_unit_and_its_parent_belong_to_one_body():
    """``clean`` refuses a parent from another body."""
    parent = HandlingUnitFactory()
    other = CongressBodyFactory(region="昌吉市", level=CongressLevel.COUNTY)
    unit = HandlingUnitFactory.build(body=other, parent=parent)
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_a_body_is_not_its_own_parent():
    """The database refuses a body that is its own parent."""
    body = CongressBodyFactory()
    body.parent_id = body.pk
    with refused():
        body.save()


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
    SessionFactory(is_current=True, congress=CongressFactory(body__region="伊犁"))
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
