"""Staff transitions: register (file), reject, merge, assign, mark key, publish."""

import datetime as dt

import pytest

from accounts.models import BodyRole, Membership
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from notifications.models import Notification
from suggestions import services
from suggestions.models import (
    Assignment,
    AssignmentRole,
    Event,
    Reply,
    Status,
    Suggestion,
)
from tests.conftest import NOW
from tests.factories import (
    CongressBodyFactory,
    HandlingRulesFactory,
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NON_STAFF = ["deputy", "clerk", "leader"]


def actor_of(journey, who):
    """One of the journey's cast by name; ``leader`` is a new supervising leader."""
    if who == "leader":
        return LeaderFactory()
    return getattr(journey, who)


def last_event(suggestion) -> Event:
    return Event.objects.filter(suggestion=suggestion).latest("pk")


# --- register --------------------------------------------------------------------------


class TestRegister:
    def test_staff_file_it_with_the_next_number_of_the_session(self, journey):
        """Registering gives the category and the next number of the session,
        counted per session."""
        session = journey.session
        first = Journey(session=session).to(Status.SUBMITTED)
        services.suggestion_register(
            suggestion_id=first.pk, actor=journey.staff, category=journey.category
        )
        s = journey.to(Status.SUBMITTED)
        services.suggestion_register(
            suggestion_id=s.pk, actor=journey.staff, category=journey.category.pk
        )
        s.refresh_from_db()
        assert s.status == Status.REGISTERED
        assert s.number == 2
        assert s.category == journey.category
        assert s.registered_at == NOW
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "register",
            "submitted",
            "registered",
        )
        assert event.data == {"number": 2}
        # Another session numbers from 1.
        elsewhere = Journey(session=SessionFactory()).to(Status.REGISTERED)
        assert elsewhere.number == 1

    def test_only_a_submitted_suggestion_is_filed(self, journey, unchanged):
        """A registered suggestion cannot be registered again (InvalidTransition)."""
        s = journey.to(Status.REGISTERED)
        with unchanged(s), pytest.raises(InvalidTransition):
            journey.register()

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_file(self, journey, unchanged, who):
        """Deputies, units and leaders may not register (NotPermitted)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_register(
                suggestion_id=s.pk,
                actor=actor_of(journey, who),
                category=journey.category,
            )

    def test_staff_do_not_see_drafts(self, journey, unchanged):
        """A deputy's draft is out of staff's reach: NotFound, not its state."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            journey.register()

    def test_staff_who_lead_the_draft_are_told_its_state(self, journey, unchanged):
        """A staff member who is the draft's own lead deputy sees it, so is told
        it cannot be filed yet (InvalidTransition), not that it does not exist."""
        s = journey.create()
        Membership.objects.create(
            user=journey.deputy, body=CongressBodyFactory(), role=BodyRole.STAFF
        )
        journey.deputy.__dict__.pop("body_roles", None)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_register(
                suggestion_id=s.pk, actor=journey.deputy, category=journey.category
            )

    @pytest.mark.parametrize("category", [None, 999_999, "abc", 1.5j])
    def test_category_is_required(self, journey, unchanged, category):
        """No, an unknown or a malformed category: InvalidInput on ``category``, no
        number."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_register(
                suggestion_id=s.pk, actor=journey.staff, category=category
            )
        assert error.value.field == "category"


# --- reject ----------------------------------------------------------------------------


class TestReject:
    def test_staff_reject_with_reason_and_disposition(self, journey):
        """A rejected suggestion keeps the reason and disposition; the deputy sees
        why in the timeline."""
        s = journey.to(Status.SUBMITTED)
        services.suggestion_reject(
            suggestion_id=s.pk,
            actor=journey.staff,
            reason="属于申诉事项",
            disposition="letter",
        )
        s.refresh_from_db()
        assert (s.status, s.rejection_reason, s.disposition) == (
            Status.REJECTED,
            "属于申诉事项",
            "letter",
        )
        assert s.number is None
        assert s.closed_at == NOW
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "reject",
            "submitted",
            "rejected",
            "属于申诉事项",
        )
        assert event.data == {"disposition": "letter"}

    def test_default_disposition_is_returned(self, journey):
        """Without a disposition the suggestion is returned to the deputy."""
        s = journey.to(Status.SUBMITTED)
        s = services.suggestion_reject(
            suggestion_id=s.pk, actor=journey.staff, reason="x"
        )
        assert s.disposition == "returned"

    def test_a_filed_suggestion_cannot_be_rejected(self, journey, unchanged):
        """Rejection happens at intake only (InvalidTransition once registered)."""
        s = journey.to(Status.REGISTERED)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_reject(
                suggestion_id=s.pk, actor=journey.staff, reason="x"
            )

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_reject(self, journey, unchanged, who):
        """Deputies, units and leaders may not reject (NotPermitted)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_reject(
                suggestion_id=s.pk, actor=actor_of(journey, who), reason="x"
            )

    def test_drafts_are_out_of_reach(self, journey, unchanged):
        """Staff cannot reject a draft they cannot see (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_reject(
                suggestion_id=s.pk, actor=journey.staff, reason="x"
            )

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"reason": " "}, "reason"),
            ({"reason": "x", "disposition": "lost"}, "disposition"),
        ],
    )
    def test_bad_input(self, journey, unchanged, kwargs, field):
        """A blank reason or an unknown disposition names the field."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_reject(
                suggestion_id=s.pk, actor=journey.staff, **kwargs
            )
        assert error.value.field == field


# --- merge -----------------------------------------------------------------------------


class TestMerge:
    @pytest.fixture
    def target(self, journey):
        """A registered suggestion of the same session to merge into."""
        return Journey(session=journey.session).to(Status.REGISTERED)

    @pytest.mark.parametrize("start", [Status.SUBMITTED, Status.REGISTERED])
    def test_staff_merge_into_another_of_the_session(self, journey, target, start):
        """The merged suggestion points at its target; both timelines say so and
        the target keeps its status."""
        s = journey.to(start)
        services.suggestion_merge(suggestion_id=s.pk, actor=journey.staff, into=target)
        s.refresh_from_db()
        target.refresh_from_db()
        assert (s.status, s.merged_into, s.closed_at) == (Status.MERGED, target, NOW)
        assert target.status == Status.REGISTERED
        merge = last_event(s)
        assert (merge.action, merge.from_status, merge.to_status) == (
            "merge",
            start,
            "merged",
        )
        assert merge.data == {"into": target.pk}
        absorb = last_event(target)
        assert (absorb.action, absorb.from_status, absorb.to_status) == (
            "absorb",
            "registered",
            "registered",
        )
        assert absorb.data == {"merged": s.pk}

    def test_an_assigned_suggestion_cannot_be_merged_away(
        self, journey, target, unchanged
    ):
        """Once assigned, a suggestion is no longer merged (InvalidTransition)."""
        s = journey.to(Status.ASSIGNED)
        with unchanged(s, target), pytest.raises(InvalidTransition):
            services.suggestion_merge(
                suggestion_id=s.pk, actor=journey.staff, into=target.pk
            )

    @pytest.mark.parametrize("target_status", [Status.WITHDRAWN, Status.CLOSED])
    def test_the_target_must_be_alive(self, journey, unchanged, target_status):
        """Merging into a withdrawn or closed suggestion is refused."""
        other = Journey(session=journey.session)
        if target_status == Status.WITHDRAWN:
            target = other.to(Status.SUBMITTED)
            services.suggestion_withdraw(suggestion_id=target.pk, actor=other.deputy)
        else:
            target = other.to(Status.CLOSED)
        s = journey.to(Status.SUBMITTED)
        with unchanged(s, target), pytest.raises(InvalidTransition):
            services.suggestion_merge(
                suggestion_id=s.pk, actor=journey.staff, into=target
            )

    def test_a_merged_suggestion_absorbs_nothing(self, journey, target, unchanged):
        """A suggestion already merged away cannot be a target."""
        s = journey.to(Status.SUBMITTED)
        services.suggestion_merge(suggestion_id=s.pk, actor=journey.staff, into=target)
        third = Journey(session=journey.session).to(Status.SUBMITTED)
        with unchanged(s, third), pytest.raises(InvalidTransition):
            services.suggestion_merge(
                suggestion_id=third.pk, actor=journey.staff, into=s
            )

    def test_those_merged_earlier_follow_onward(self, journey, target):
        """When a suggestion that others joined is merged away in turn, they follow
        it to the new target: every ``merged_into`` names a living suggestion, each
        timeline says what happened, and each lead deputy hears of it."""
        s = journey.to(Status.REGISTERED)
        first = Journey(session=journey.session)
        first.to(Status.SUBMITTED)
        services.suggestion_merge(
            suggestion_id=first.suggestion.pk, actor=journey.staff, into=s
        )

        services.suggestion_merge(suggestion_id=s.pk, actor=journey.staff, into=target)

        first.suggestion.refresh_from_db()
        assert first.suggestion.status == Status.MERGED
        assert first.suggestion.merged_into == target
        along = last_event(first.suggestion)
        assert (along.action, along.from_status, along.to_status) == (
            "merge-along",
            "merged",
            "merged",
        )
        assert along.data == {"into": target.pk, "via": s.pk}
        absorbed = [
            e.data["merged"]
            for e in target.events.filter(action="absorb").order_by("pk")
        ]
        assert absorbed == [s.pk, first.suggestion.pk]
        notices = Notification.objects.filter(recipient=first.deputy, kind="merged")
        # Merged into s, then along into the target: each notice of their own.
        assert [n.title for n in notices.order_by("pk")] == [
            f"已并案：{first.suggestion.title}"
        ] * 2
        assert target.title in notices.order_by("pk").last().body
        assert (
            Notification.objects.filter(recipient=journey.deputy, kind="merged").count()
            == 1
        )

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_merge(self, journey, target, unchanged, who):
        """Deputies, units and leaders may not merge (NotPermitted)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s, target), pytest.raises(NotPermitted):
            services.suggestion_merge(
                suggestion_id=s.pk, actor=actor_of(journey, who), into=target
            )

    def test_drafts_are_out_of_reach(self, journey, target, unchanged):
        """Staff cannot merge a draft they cannot see (NotFound)."""
        s = journey.create()
        with unchanged(s, target), pytest.raises(NotFound):
            services.suggestion_merge(
                suggestion_id=s.pk, actor=journey.staff, into=target
            )

    def test_a_draft_target_is_as_good_as_unknown(self, journey, unchanged):
        """A deputy's draft, which staff cannot see, is refused like an unknown
        target (InvalidInput on ``into``), not by its state."""
        s = journey.to(Status.SUBMITTED)
        draft = Journey(session=journey.session)
        draft.create()
        with unchanged(s, draft.suggestion), pytest.raises(InvalidInput) as error:
            services.suggestion_merge(
                suggestion_id=s.pk, actor=journey.staff, into=draft.suggestion
            )
        assert error.value.field == "into"
        assert str(error.value) == "No such suggestion."

    def test_bad_targets_name_the_field(self, journey, unchanged):
        """Itself, an unknown id, a non-number or another session's suggestion:
        InvalidInput on ``into``."""
        s = journey.to(Status.SUBMITTED)
        foreign = Journey(session=SessionFactory()).to(Status.REGISTERED)
        for into in (s.pk, 999_999, "12", foreign):
            with unchanged(s), pytest.raises(InvalidInput) as error:
                services.suggestion_merge(
                    suggestion_id=s.pk, actor=journey.staff, into=into
                )
            assert error.value.field == "into"


# --- assign ----------------------------------------------------------------------------


class TestAssign:
    def test_staff_assign_lead_and_co_units(self, journey_with_co_unit):
        """Assignment creates one lead and one co-unit assignment, due 3 months and
        1 month after the assignment date, and starts the clock on the suggestion."""
        journey = journey_with_co_unit
        s = journey.to(Status.REGISTERED)
        journey.assign()
        s.refresh_from_db()
        assert s.status == Status.ASSIGNED
        assert (s.lead_unit, s.due_at, s.assigned_at) == (
            journey.unit,
            dt.date(2026, 6, 10),
            NOW,
        )
        rows = {
            a.role: (a.unit, a.round, a.assigned_at, a.due_at, a.active)
            for a in s.assignments.all()
        }
        assert rows == {
            "lead": (journey.unit, 1, NOW, dt.date(2026, 6, 10), True),
            "co": (journey.co_unit, 1, NOW, dt.date(2026, 4, 10), True),
        }
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "assign",
            "registered",
            "assigned",
        )
        assert event.data == {
            "lead_unit": journey.unit.pk,
            "co_units": [journey.co_unit.pk],
            "due_at": "2026-06-10",
        }

    def test_complex_matters_get_six_months_and_key_supervision(self, journey, leader):
        """A wide-ranging matter is due in six months; key supervision and its
        leader can be set at assignment."""
        s = journey.to(Status.REGISTERED)
        journey.assign(
            complexity="complex", key_supervised=True, supervising_leader=leader
        )
        s.refresh_from_db()
        assert (s.complexity, s.due_at, s.key_supervised, s.supervising_leader) == (
            "complex",
            dt.date(2026, 9, 10),
            True,
            leader,
        )

    def test_deadlines_follow_the_congress_rules(self, db, now):
        """Reply months come from the congress's HandlingRules, not constants."""
        journey = Journey()
        HandlingRulesFactory(congress=journey.session.congress, reply_months=2)
        s = journey.to(Status.ASSIGNED)
        assert s.due_at == dt.date(2026, 5, 10)

    def test_a_co_unit_given_twice_is_assigned_once(self, journey):
        """Duplicate co-units make one assignment."""
        s = journey.to(Status.REGISTERED)
        co = HandlingUnitFactory()
        journey.assign(co_units=[co, co.pk])
        assert s.assignments.filter(role=AssignmentRole.CO).count() == 1

    @pytest.mark.parametrize("start", [Status.SUBMITTED, Status.ASSIGNED])
    def test_only_a_registered_suggestion_is_assigned(self, journey, unchanged, start):
        """Unfiled or already assigned: InvalidTransition, no assignment rows."""
        s = journey.to(start)
        with unchanged(s), pytest.raises(InvalidTransition):
            journey.assign()

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_assign(self, journey, unchanged, who):
        """Deputies, units and leaders may not assign (NotPermitted)."""
        s = journey.to(Status.REGISTERED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_assign(
                suggestion_id=s.pk, actor=actor_of(journey, who), lead_unit=journey.unit
            )

    def test_drafts_are_out_of_reach(self, journey, unchanged):
        """Staff cannot assign a draft they cannot see (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            journey.assign()

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"lead_unit": 999_999}, "lead_unit"),
            ({"lead_unit": "inactive"}, "lead_unit"),
            ({"lead_unit": None}, "lead_unit"),
            ({"co_units": ["lead"]}, "co_units"),
            ({"co_units": [999_999]}, "co_units"),
            ({"complexity": "hard"}, "complexity"),
            (
                {"key_supervised": True, "supervising_leader": "not-leader"},
                "supervising_leader",
            ),
        ],
    )
    def test_bad_input_names_the_field(self, journey, unchanged, kwargs, field):
        """Unknown or inactive units, the lead unit as a co-unit, an unknown
        complexity, a supervising leader without the leader role: InvalidInput."""
        s = journey.to(Status.REGISTERED)
        replace = {
            "inactive": HandlingUnitFactory(active=False),
            "lead": journey.unit,
            "not-leader": UserFactory(),
        }
        kwargs = {
            k: (
                [replace.get(x, x) for x in v]
                if isinstance(v, list)
                else replace.get(v, v)
            )
            for k, v in kwargs.items()
        }
        kwargs.setdefault("lead_unit", journey.unit)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_assign(
                suggestion_id=s.pk, actor=journey.staff, **kwargs
            )
        assert error.value.field == field
        assert Assignment.objects.count() == 0


# --- mark key --------------------------------------------------------------------------


class TestMarkKey:
    def test_staff_choose_a_key_suggestion_and_its_leader(self, journey, leader):
        """Key supervision is set with its leader, and dropping it clears the
        leader; the status never changes."""
        s = journey.to(Status.ASSIGNED)
        services.suggestion_mark_key(
            suggestion_id=s.pk,
            actor=journey.staff,
            key_supervised=True,
            supervising_leader=leader,
        )
        s.refresh_from_db()
        assert (s.key_supervised, s.supervising_leader, s.status) == (
            True,
            leader,
            Status.ASSIGNED,
        )
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.data) == (
            "mark-key",
            "assigned",
            "assigned",
            {"key_supervised": True},
        )
        services.suggestion_mark_key(
            suggestion_id=s.pk, actor=journey.staff, key_supervised=False
        )
        s.refresh_from_db()
        assert (s.key_supervised, s.supervising_leader) == (False, None)

    def test_closed_suggestions_can_still_be_marked(self, journey):
        """Key supervision can be set on any filed suggestion, closed included."""
        s = journey.to(Status.CLOSED)
        s = services.suggestion_mark_key(
            suggestion_id=s.pk, actor=journey.staff, key_supervised=True
        )
        assert s.key_supervised is True

    def test_unfiled_suggestions_are_not_marked(self, journey, unchanged):
        """A submitted suggestion cannot be marked key (InvalidTransition)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_mark_key(
                suggestion_id=s.pk, actor=journey.staff, key_supervised=True
            )

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_mark(self, journey, unchanged, who):
        """Leaders supervise but do not choose (NotPermitted), nor do others."""
        s = journey.to(Status.ASSIGNED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_mark_key(
                suggestion_id=s.pk, actor=actor_of(journey, who), key_supervised=True
            )

    def test_drafts_are_out_of_reach(self, journey, unchanged):
        """Staff cannot mark a draft they cannot see (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_mark_key(
                suggestion_id=s.pk, actor=journey.staff, key_supervised=True
            )

    def test_supervising_leader_must_be_a_leader(self, journey, unchanged):
        """A user without the leader role is InvalidInput on
        ``supervising_leader``."""
        s = journey.to(Status.ASSIGNED)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_mark_key(
                suggestion_id=s.pk,
                actor=journey.staff,
                key_supervised=True,
                supervising_leader=journey.clerk,
            )
        assert error.value.field == "supervising_leader"


# --- publish ---------------------------------------------------------------------------


class TestPublish:
    def test_staff_publish_the_lead_replies(self, journey_with_co_unit, anonymous):
        """Publishing makes the suggestion and its lead replies public (not the
        co-units' opinions), and the public then sees it; unpublishing undoes it."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        services.assignment_reply(
            assignment_id=co.pk, actor=journey.co_clerk, outcome="resolved", body="意见"
        )
        journey.reply()
        s = services.suggestion_publish(
            suggestion_id=journey.suggestion.pk, actor=journey.staff, is_public=True
        )
        s.refresh_from_db()
        assert s.is_public is True
        assert dict(Reply.objects.values_list("is_lead", "is_public")) == {
            True: True,
            False: False,
        }
        assert list(Suggestion.objects.visible_to(anonymous)) == [s]
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.data) == (
            "publish",
            "replied",
            "replied",
            {"is_public": True},
        )
        services.suggestion_publish(
            suggestion_id=s.pk, actor=journey.staff, is_public=False
        )
        assert not Reply.objects.filter(is_public=True).exists()
        assert not Suggestion.objects.visible_to(anonymous).exists()

    def test_only_replied_or_closed_suggestions_are_published(self, journey, unchanged):
        """Nothing to publish before the reply (InvalidTransition)."""
        s = journey.to(Status.ASSIGNED)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_publish(
                suggestion_id=s.pk, actor=journey.staff, is_public=True
            )

    @pytest.mark.parametrize("who", NON_STAFF)
    def test_only_staff_publish(self, journey, unchanged, who):
        """Deputies, units and leaders may not publish (NotPermitted)."""
        s = journey.to(Status.REPLIED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_publish(
                suggestion_id=s.pk, actor=actor_of(journey, who), is_public=True
            )

    def test_drafts_are_out_of_reach(self, journey, unchanged):
        """Staff cannot publish a draft they cannot see (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_publish(
                suggestion_id=s.pk, actor=journey.staff, is_public=True
            )

    def test_is_public_must_be_a_boolean(self, journey, unchanged):
        """``is_public`` must be True or False (InvalidInput on ``is_public``)."""
        s = journey.to(Status.REPLIED)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_publish(
                suggestion_id=s.pk, actor=journey.staff, is_public="yes"
            )
        assert error.value.field == "is_public"
