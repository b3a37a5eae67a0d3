"""Who sees which suggestion: ``Suggestion.objects.visible_to(user)`` (DESIGN.md §2)."""

import pytest

from accounts.models import BodyRole, Membership
from suggestions.models import Suggestion
from tests.factories import (
    AssignmentFactory,
    CongressBodyFactory,
    CoSignatureFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    UserFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db


class World:
    """One deputy's suggestions in every state, others' published and unpublished
    ones, and the people around them."""

    def __init__(self):
        session = SessionFactory()
        congress = session.congress
        self.lead = deputy_user(delegation__congress=congress)
        self.invited = deputy_user(delegation__congress=congress)
        self.signer = deputy_user(delegation__congress=congress)
        self.other = deputy_user(delegation__congress=congress)
        mine = self.lead.deputy_profile

        def own(**traits):
            return SuggestionFactory(session=session, lead_deputy=mine, **traits)

        def others(**traits):
            return SuggestionFactory(
                session=session,
                lead_deputy=DeputyFactory(delegation__congress=congress),
                **traits,
            )

        self.draft = own()
        CoSignatureFactory(suggestion=self.draft, deputy=self.invited.deputy_profile)
        self.submitted = own(submitted=True)
        CoSignatureFactory(
            suggestion=self.submitted,
            deputy=self.signer.deputy_profile,
            signed_at=self.submitted.created_at,
        )
        self.assigned = own(assigned=True)
        self.unit = self.assigned.lead_unit
        self.co_unit = HandlingUnitFactory()
        AssignmentFactory(suggestion=self.assigned, unit=self.co_unit, role="co")
        # Reassigned: the first unit's assignment retired, a new unit took over.
        self.reassigned = others(assigned=True)
        self.retired_unit = self.reassigned.lead_unit
        self.reassigned.assignments.update(active=False)
        self.new_unit = HandlingUnitFactory()
        AssignmentFactory(suggestion=self.reassigned, unit=self.new_unit)
        self.mine_closed = own(closed=True)
        # Others': a published reply, a published closed one, unpublished ones.
        self.published_replied = others(replied=True, is_public=True)
        self.published_closed = others(closed=True, is_public=True)
        self.unpublished = others(closed=True)
        self.public_flag_but_open = others(assigned=True, is_public=True)
        self.others_draft = others()
        # Mine merged into someone else's: I follow the one it joined.
        self.target = others(registered=True)
        self.merged = own(status="merged", merged_into=self.target)

    @property
    def published(self):
        return {self.published_replied, self.published_closed}

    @property
    def everything(self):
        return set(Suggestion.objects.all())


@pytest.fixture
def world(db):
    return World()


def seen(user) -> set:
    return set(Suggestion.objects.visible_to(user))


@pytest.mark.parametrize("factory", [StaffFactory, LeaderFactory])
def test_staff_and_leaders_see_everything_but_drafts(world, factory):
    """Staff and leaders see every suggestion except deputies' drafts."""
    assert seen(factory()) == world.everything - {world.draft, world.others_draft}


def test_lead_deputy_sees_own_suggestions_and_what_they_joined(world):
    """The lead deputy sees all their own (draft included), the suggestion theirs
    was merged into, and published replies."""
    assert (
        seen(world.lead)
        == {
            world.draft,
            world.submitted,
            world.assigned,
            world.mine_closed,
            world.merged,
            world.target,
        }
        | world.published
    )


def test_an_invited_co_signer_sees_the_draft(world):
    """An invited (not yet signed) co-signer sees the draft they are asked to sign."""
    assert seen(world.invited) == {world.draft} | world.published


def test_a_signed_co_signer_sees_it(world):
    """A co-signer who signed sees the suggestion."""
    assert seen(world.signer) == {world.submitted} | world.published


def test_another_deputy_sees_only_published_replies(world):
    """A deputy with no part sees published replies only."""
    assert seen(world.other) == world.published


def test_lead_and_co_units_see_their_assignments(world):
    """A lead unit and a co-unit see the suggestion they were assigned."""
    for unit in (world.unit, world.co_unit):
        assert seen(UnitMemberFactory(unit=unit)) == {world.assigned} | world.published


def test_a_unit_keeps_seeing_what_was_reassigned_away(world):
    """The unit whose assignment was retired still sees the suggestion, as does the
    unit that took over."""
    for unit in (world.retired_unit, world.new_unit):
        assert (
            seen(UnitMemberFactory(unit=unit)) == {world.reassigned} | world.published
        )


def test_another_unit_sees_only_published_replies(world):
    """A unit without an assignment sees published replies only."""
    assert seen(UnitMemberFactory()) == world.published


def test_the_public_sees_only_published_replies(world, anonymous):
    """Anonymous visitors (and ``None``) see published replied or closed
    suggestions, never a public flag on an open one."""
    assert seen(anonymous) == world.published
    assert seen(None) == world.published


def test_a_user_with_no_role_sees_only_published_replies(world):
    """A logged-in user with no role is the public."""
    assert seen(UserFactory()) == world.published


def test_an_inactive_account_loses_its_roles(world):
    """A deactivated staff account sees only what the public sees."""
    staff = StaffFactory(is_active=False)
    assert seen(staff) == world.published


def test_roles_add_up(world):
    """A deputy who is also a unit clerk sees both their suggestions and their
    unit's."""
    user = world.signer
    user.unit = world.retired_unit
    user.save()
    assert seen(user) == {world.submitted, world.reassigned} | world.published


def test_a_staff_member_who_is_a_deputy_sees_own_drafts(world):
    """Staff are hidden deputies' drafts, but not their own."""
    Membership.objects.create(
        user=world.lead, body=CongressBodyFactory(), role=BodyRole.STAFF
    )
    world.lead.__dict__.pop("body_roles", None)
    assert world.lead.is_congress_staff
    assert world.draft in seen(world.lead)
