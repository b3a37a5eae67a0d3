"""Units' transitions and staff decisions on them: acknowledge, ask for reassignment
or extension, approve or deny, record contact, reply (lead reply and co-unit opinion),
report a promise kept."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from suggestions import services
from suggestions.models import (
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    ContactRecord,
    Event,
    Reply,
    Status,
)
from tests.conftest import NOW, at
from tests.factories import (
    HandlingRulesFactory,
    HandlingUnitFactory,
    UnitMemberFactory,
    meet_deputy,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def last_event(suggestion) -> Event:
    return Event.objects.filter(suggestion=suggestion).latest("pk")


def event_of(suggestion):
    e = last_event(suggestion)
    return (e.action, e.from_status, e.to_status)


@pytest.fixture
def assigned(journey):
    """The journey's suggestion assigned at NOW to ``journey.unit``; its lead
    assignment."""
    journey.to(Status.ASSIGNED)
    return journey.lead_assignment()


@pytest.fixture
def acknowledged(journey, assigned):
    """The lead assignment acknowledged, and the meeting the rules require before
    its reply recorded (三见面; tests/suggestions/test_meetings.py tests the rule)."""
    services.assignment_acknowledge(assignment_id=assigned.pk, actor=journey.clerk)
    journey.meet()
    assigned.refresh_from_db()
    return assigned


def non_unit_actors(journey, leader):
    """Roles that may see the suggestion but are not its unit: NotPermitted."""
    return {"staff": journey.staff, "leader": leader}


# --- acknowledge -----------------------------------------------------------------------


class TestAcknowledge:
    def test_the_unit_signs_for_its_assignment(self, journey, assigned):
        """Acknowledging stamps the assignment; the status stays assigned."""
        services.assignment_acknowledge(assignment_id=assigned.pk, actor=journey.clerk)
        assigned.refresh_from_db()
        assert assigned.acknowledged_at == NOW
        assert event_of(journey.suggestion) == ("acknowledge", "assigned", "assigned")
        assert last_event(journey.suggestion).data == {"assignment": assigned.pk}

    def test_only_once(self, journey, acknowledged, unchanged):
        """A second acknowledgement is refused (InvalidTransition)."""
        with (
            unchanged(journey.suggestion, acknowledged),
            pytest.raises(InvalidTransition),
        ):
            services.assignment_acknowledge(
                assignment_id=acknowledged.pk, actor=journey.clerk
            )

    def test_not_after_the_reply(self, journey_with_co_unit, unchanged):
        """Once the lead unit replied, a co-unit can no longer acknowledge."""
        journey = journey_with_co_unit
        journey.to(Status.REPLIED)
        co = journey.co_assignment()
        with unchanged(journey.suggestion, co), pytest.raises(InvalidTransition):
            services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(self, journey, assigned, leader, unchanged, who):
        """Acknowledging is the unit's act (NotPermitted for staff and leaders)."""
        actor = non_unit_actors(journey, leader)[who]
        with unchanged(assigned), pytest.raises(NotPermitted):
            services.assignment_acknowledge(assignment_id=assigned.pk, actor=actor)

    @pytest.mark.parametrize("who", ["other_clerk", "deputy"])
    def test_others_find_nothing(self, journey, assigned, request, unchanged, who):
        """Another unit, or the deputy, does not find the assignment (NotFound)."""
        actor = journey.deputy if who == "deputy" else request.getfixturevalue(who)
        with unchanged(assigned), pytest.raises(NotFound):
            services.assignment_acknowledge(assignment_id=assigned.pk, actor=actor)

    def test_unknown_assignment(self, journey):
        """An unknown or malformed assignment id answers NotFound."""
        for bad in (999_999, "x"):
            with pytest.raises(NotFound):
                services.assignment_acknowledge(assignment_id=bad, actor=journey.clerk)


# --- request reassignment --------------------------------------------------------------


class TestRequestReassignment:
    def test_the_unit_asks_within_the_window(self, journey, assigned):
        """On the 10th working day after assignment the request is still taken:
        pending, with the reason in the timeline."""
        with clock.frozen_at(at(2026, 3, 24, 17)):
            request = services.assignment_request_reassignment(
                assignment_id=assigned.pk,
                actor=journey.clerk,
                reason=" 不属于本单位职责 ",
            )
        assert (request.kind, request.decision, request.reason) == (
            "reassignment",
            "pending",
            "不属于本单位职责",
        )
        assert (request.requested_by, request.requested_at) == (
            journey.clerk,
            at(2026, 3, 24, 17),
        )
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "request-reassignment",
            "assigned",
            "assigned",
            "不属于本单位职责",
        )

    def test_not_after_the_window(self, journey, assigned, unchanged):
        """The 11th working day after assignment is too late (InvalidTransition)."""
        with (
            clock.frozen_at(at(2026, 3, 25, 9)),
            unchanged(assigned),
            pytest.raises(InvalidTransition) as error,
        ):
            services.assignment_request_reassignment(
                assignment_id=assigned.pk, actor=journey.clerk, reason="晚了"
            )
        # The date in the reader's format (the active language's), not ISO.
        assert formats.date_format(dt.date(2026, 3, 24)) in str(error.value)
        assert "2026-03-24" not in str(error.value)

    def test_one_pending_request_at_a_time(self, journey, assigned, unchanged):
        """A second request while one is pending is refused."""
        services.assignment_request_reassignment(
            assignment_id=assigned.pk, actor=journey.clerk, reason="第一次"
        )
        with unchanged(assigned), pytest.raises(InvalidTransition):
            services.assignment_request_reassignment(
                assignment_id=assigned.pk, actor=journey.clerk, reason="第二次"
            )

    def test_not_after_the_reply(self, journey, unchanged):
        """A replied suggestion cannot be handed elsewhere."""
        journey.to(Status.REPLIED)
        assignment = journey.lead_assignment()
        with (
            unchanged(journey.suggestion, assignment),
            pytest.raises(InvalidTransition),
        ):
            services.assignment_request_reassignment(
                assignment_id=assignment.pk, actor=journey.clerk, reason="x"
            )

    def test_a_co_unit_that_replied_may_not_ask(self, journey_with_co_unit, unchanged):
        """A co-unit that sent its opinion can no longer ask to be relieved."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        services.assignment_reply(
            assignment_id=co.pk, actor=journey.co_clerk, outcome="resolved", body="意见"
        )
        with unchanged(co), pytest.raises(InvalidTransition):
            services.assignment_request_reassignment(
                assignment_id=co.pk, actor=journey.co_clerk, reason="x"
            )

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(self, journey, assigned, leader, unchanged, who):
        """Only the unit asks (NotPermitted)."""
        with unchanged(assigned), pytest.raises(NotPermitted):
            services.assignment_request_reassignment(
                assignment_id=assigned.pk,
                actor=non_unit_actors(journey, leader)[who],
                reason="x",
            )

    def test_another_unit_finds_nothing(
        self, journey, assigned, other_clerk, unchanged
    ):
        """Another unit's clerk gets NotFound."""
        with unchanged(assigned), pytest.raises(NotFound):
            services.assignment_request_reassignment(
                assignment_id=assigned.pk, actor=other_clerk, reason="x"
            )

    def test_reason_is_required(self, journey, assigned, unchanged):
        """A blank reason is InvalidInput on ``reason``."""
        with unchanged(assigned), pytest.raises(InvalidInput) as error:
            services.assignment_request_reassignment(
                assignment_id=assigned.pk, actor=journey.clerk, reason=" "
            )
        assert error.value.field == "reason"


# --- request extension -----------------------------------------------------------------


class TestRequestExtension:
    def test_the_lead_unit_asks_up_to_six_months(self, journey, assigned):
        """An extension to six months after assignment is taken, pending."""
        request = services.assignment_request_extension(
            assignment_id=assigned.pk,
            actor=journey.clerk,
            reason="涉及多个部门",
            until=dt.date(2026, 9, 10),
        )
        assert (request.kind, request.decision, request.requested_until) == (
            "extension",
            "pending",
            dt.date(2026, 9, 10),
        )
        assigned.refresh_from_db()
        assert assigned.due_at == dt.date(2026, 6, 10)  # unchanged until approved
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status) == (
            "request-extension",
            "assigned",
            "assigned",
        )
        assert event.data == {"request": request.pk, "until": "2026-09-10"}

    @pytest.mark.parametrize(
        ("until", "field"),
        [
            (dt.date(2026, 9, 11), "until"),  # past six months from assignment
            (dt.date(2026, 6, 10), "until"),  # not after the current due date
            (dt.datetime(2026, 8, 1, tzinfo=dt.UTC), "until"),
            ("2026-08-01", "until"),
        ],
    )
    def test_bad_dates(self, journey, assigned, unchanged, until, field):
        """The date must be a date after the due date and at most six months from
        assignment."""
        with unchanged(assigned), pytest.raises(InvalidInput) as error:
            services.assignment_request_extension(
                assignment_id=assigned.pk, actor=journey.clerk, reason="x", until=until
            )
        assert error.value.field == field

    def test_reason_is_required(self, journey, assigned, unchanged):
        """A blank reason is InvalidInput on ``reason``."""
        with unchanged(assigned), pytest.raises(InvalidInput) as error:
            services.assignment_request_extension(
                assignment_id=assigned.pk,
                actor=journey.clerk,
                reason="",
                until=dt.date(2026, 8, 1),
            )
        assert error.value.field == "reason"

    def test_complex_matters_cannot_be_extended(self, journey, unchanged):
        """A complex matter is already due at the six-month limit: no date is left
        to ask for, so the request is refused whatever the date (not offered)."""
        journey.to(Status.REGISTERED)
        journey.assign(complexity="complex")
        assignment = journey.lead_assignment()
        assert assignment.due_at == dt.date(2026, 9, 10)
        with unchanged(assignment), pytest.raises(InvalidTransition) as error:
            services.assignment_request_extension(
                assignment_id=assignment.pk,
                actor=journey.clerk,
                reason="x",
                until=dt.date(2026, 9, 30),
            )
        assert "at the latest" in str(error.value.message)

    def test_only_the_lead_unit_asks(self, journey_with_co_unit, unchanged):
        """A co-unit's opinion window is not extended (InvalidTransition)."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        with unchanged(co), pytest.raises(InvalidTransition):
            services.assignment_request_extension(
                assignment_id=co.pk,
                actor=journey.co_clerk,
                reason="x",
                until=dt.date(2026, 7, 1),
            )

    def test_not_after_the_reply(self, journey, unchanged):
        """A replied suggestion needs no more time (InvalidTransition)."""
        journey.to(Status.REPLIED)
        assignment = journey.lead_assignment()
        with unchanged(assignment), pytest.raises(InvalidTransition):
            services.assignment_request_extension(
                assignment_id=assignment.pk,
                actor=journey.clerk,
                reason="x",
                until=dt.date(2026, 8, 1),
            )

    def test_one_pending_request_at_a_time(self, journey, assigned):
        """A second extension request while one is pending is refused."""
        services.assignment_request_extension(
            assignment_id=assigned.pk,
            actor=journey.clerk,
            reason="x",
            until=dt.date(2026, 8, 1),
        )
        with pytest.raises(InvalidTransition):
            services.assignment_request_extension(
                assignment_id=assigned.pk,
                actor=journey.clerk,
                reason="y",
                until=dt.date(2026, 9, 1),
            )
        assert AdjustmentRequest.objects.count() == 1

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(self, journey, assigned, leader, unchanged, who):
        """Only the unit asks (NotPermitted)."""
        with unchanged(assigned), pytest.raises(NotPermitted):
            services.assignment_request_extension(
                assignment_id=assigned.pk,
                actor=non_unit_actors(journey, leader)[who],
                reason="x",
                until=dt.date(2026, 8, 1),
            )

    def test_another_unit_finds_nothing(
        self, journey, assigned, other_clerk, unchanged
    ):
        """Another unit's clerk gets NotFound."""
        with unchanged(assigned), pytest.raises(NotFound):
            services.assignment_request_extension(
                assignment_id=assigned.pk,
                actor=other_clerk,
                reason="x",
                until=dt.date(2026, 8, 1),
            )


# --- approve / deny --------------------------------------------------------------------


@pytest.fixture
def reassignment(journey, assigned):
    return services.assignment_request_reassignment(
        assignment_id=assigned.pk, actor=journey.clerk, reason="不属于本单位职责"
    )


@pytest.fixture
def extension(journey, assigned):
    return services.assignment_request_extension(
        assignment_id=assigned.pk,
        actor=journey.clerk,
        reason="涉及多个部门",
        until=dt.date(2026, 8, 31),
    )


class TestApproveReassignment:
    def test_the_old_assignment_retires_and_a_new_unit_takes_over(
        self, journey, assigned, reassignment
    ):
        """Approval retires the assignment, gives the new unit one with the same
        role and deadline, and makes it the suggestion's lead unit."""
        new_unit = HandlingUnitFactory()
        later = at(2026, 3, 12, 15)
        with clock.frozen_at(later):
            request = services.adjustment_approve(
                request_id=reassignment.pk, actor=journey.staff, new_unit=new_unit
            )
        assigned.refresh_from_db()
        assert assigned.active is False
        replacement = Assignment.objects.get(active=True, role=AssignmentRole.LEAD)
        assert (
            replacement.unit,
            replacement.round,
            replacement.assigned_at,
            replacement.due_at,
            replacement.acknowledged_at,
        ) == (new_unit, 1, later, dt.date(2026, 6, 10), None)
        s = journey.refresh()
        assert (s.lead_unit, s.due_at, s.status) == (
            new_unit,
            dt.date(2026, 6, 10),
            Status.ASSIGNED,
        )
        request.refresh_from_db()
        assert (
            request.decision,
            request.decided_by,
            request.decided_at,
            request.new_unit,
            request.new_due_at,
        ) == ("approved", journey.staff, later, new_unit, dt.date(2026, 6, 10))
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "approve",
            "assigned",
            "assigned",
        )
        assert event.data == {
            "request": request.pk,
            "kind": "reassignment",
            "from_unit": journey.unit.pk,
            "to_unit": new_unit.pk,
            "due_at": "2026-06-10",
        }

    def test_the_new_unit_handles_and_the_old_one_cannot(
        self, journey, assigned, reassignment
    ):
        """After reassignment the new unit acknowledges and replies; the retired
        assignment is no longer current for the old unit."""
        new_unit = HandlingUnitFactory()
        services.adjustment_approve(
            request_id=reassignment.pk, actor=journey.staff, new_unit=new_unit.pk
        )
        with pytest.raises(InvalidTransition):
            services.assignment_acknowledge(
                assignment_id=assigned.pk, actor=journey.clerk
            )
        new_clerk = UnitMemberFactory(unit=new_unit)
        replacement = journey.lead_assignment()
        services.assignment_acknowledge(assignment_id=replacement.pk, actor=new_clerk)
        # The new unit meets the deputy itself: the old unit's contacts are not its.
        meet_deputy(replacement, new_clerk)
        services.assignment_reply(
            assignment_id=replacement.pk,
            actor=new_clerk,
            outcome="resolved",
            body="答复",
        )
        assert journey.refresh().status == Status.REPLIED

    def test_staff_may_extend_the_deadline_with_it(
        self, journey, assigned, reassignment
    ):
        """``extend_to`` gives the new unit a later deadline within the limit."""
        services.adjustment_approve(
            request_id=reassignment.pk,
            actor=journey.staff,
            new_unit=HandlingUnitFactory(),
            extend_to=dt.date(2026, 7, 10),
        )
        assert journey.lead_assignment().due_at == dt.date(2026, 7, 10)
        assert journey.refresh().due_at == dt.date(2026, 7, 10)

    def test_a_co_unit_reassigned_leaves_the_lead_unit(self, journey_with_co_unit):
        """Reassigning a co-unit changes the co-unit only."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        request = services.assignment_request_reassignment(
            assignment_id=co.pk, actor=journey.co_clerk, reason="x"
        )
        new_unit = HandlingUnitFactory()
        services.adjustment_approve(
            request_id=request.pk, actor=journey.staff, new_unit=new_unit
        )
        assert journey.co_assignment().unit == new_unit
        assert journey.co_assignment().due_at == dt.date(2026, 4, 10)
        assert journey.refresh().lead_unit == journey.unit

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({}, "new_unit"),
            ({"new_unit": 999_999}, "new_unit"),
            ({"new_unit": "inactive"}, "new_unit"),
            ({"new_unit": "same"}, "new_unit"),
            ({"new_unit": "new", "extend_to": dt.date(2026, 9, 11)}, "extend_to"),
            ({"new_unit": "new", "extend_to": dt.date(2026, 6, 1)}, "extend_to"),
        ],
    )
    def test_bad_input(self, journey, assigned, reassignment, unchanged, kwargs, field):
        """No, unknown, inactive or the same unit, or a deadline past the limit:
        InvalidInput, the old assignment stays and no new one is made."""
        units = {
            "inactive": HandlingUnitFactory(active=False),
            "same": journey.unit,
            "new": HandlingUnitFactory(),
        }
        if "new_unit" in kwargs:
            kwargs["new_unit"] = units.get(kwargs["new_unit"], kwargs["new_unit"])
        with (
            unchanged(journey.suggestion, assigned, reassignment),
            pytest.raises(InvalidInput) as error,
        ):
            services.adjustment_approve(
                request_id=reassignment.pk, actor=journey.staff, **kwargs
            )
        assert error.value.field == field

    def test_decided_only_once(self, journey, assigned, reassignment, unchanged):
        """An approved request cannot be approved again."""
        services.adjustment_approve(
            request_id=reassignment.pk,
            actor=journey.staff,
            new_unit=HandlingUnitFactory(),
        )
        reassignment.refresh_from_db()
        with (
            unchanged(journey.suggestion, reassignment),
            pytest.raises(InvalidTransition),
        ):
            services.adjustment_approve(
                request_id=reassignment.pk,
                actor=journey.staff,
                new_unit=HandlingUnitFactory(),
            )

    def test_not_after_the_lead_reply(self, journey, assigned, reassignment, unchanged):
        """Once the lead unit replied, its pending request can no longer be granted."""
        journey.reply()
        with (
            unchanged(journey.suggestion, reassignment),
            pytest.raises(InvalidTransition),
        ):
            services.adjustment_approve(
                request_id=reassignment.pk,
                actor=journey.staff,
                new_unit=HandlingUnitFactory(),
            )

    def test_a_co_unit_that_replied_meanwhile_is_not_reassigned(
        self, journey_with_co_unit, unchanged
    ):
        """A co-unit that sent its opinion while its request was pending keeps the
        assignment: approving would throw the opinion away (InvalidTransition)."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        request = services.assignment_request_reassignment(
            assignment_id=co.pk, actor=journey.co_clerk, reason="x"
        )
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        services.assignment_reply(
            assignment_id=co.pk, actor=journey.co_clerk, outcome="resolved", body="意见"
        )
        co.refresh_from_db()
        with (
            unchanged(journey.suggestion, co, request),
            pytest.raises(InvalidTransition),
        ):
            services.adjustment_approve(
                request_id=request.pk,
                actor=journey.staff,
                new_unit=HandlingUnitFactory(),
            )

    @pytest.mark.parametrize("who", ["clerk", "deputy", "leader"])
    def test_only_staff_decide(
        self, journey, assigned, reassignment, leader, unchanged, who
    ):
        """Units, deputies and leaders may not decide (NotPermitted)."""
        actor = leader if who == "leader" else getattr(journey, who)
        with unchanged(reassignment, assigned), pytest.raises(NotPermitted):
            services.adjustment_approve(
                request_id=reassignment.pk, actor=actor, new_unit=HandlingUnitFactory()
            )

    def test_unknown_request(self, journey):
        """An unknown request id answers NotFound."""
        with pytest.raises(NotFound):
            services.adjustment_approve(request_id=999_999, actor=journey.staff)


class TestApproveExtension:
    def test_the_deadline_moves_to_the_date_asked(self, journey, assigned, extension):
        """Approval moves the assignment's and the suggestion's due date."""
        request = services.adjustment_approve(
            request_id=extension.pk, actor=journey.staff
        )
        assigned.refresh_from_db()
        assert assigned.due_at == dt.date(2026, 8, 31)
        assert assigned.active is True
        assert journey.refresh().due_at == dt.date(2026, 8, 31)
        assert (request.decision, request.new_due_at) == (
            "approved",
            dt.date(2026, 8, 31),
        )
        assert Assignment.objects.count() == 1
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status) == (
            "approve",
            "assigned",
            "assigned",
        )
        assert event.data == {
            "request": request.pk,
            "kind": "extension",
            "due_at": "2026-08-31",
        }

    def test_staff_may_grant_less(self, journey, assigned, extension):
        """``extend_to`` grants another date than the one asked."""
        services.adjustment_approve(
            request_id=extension.pk, actor=journey.staff, extend_to=dt.date(2026, 7, 31)
        )
        assigned.refresh_from_db()
        assert assigned.due_at == dt.date(2026, 7, 31)

    def test_never_past_six_months_from_the_first_assignment(
        self, journey, assigned, extension, unchanged
    ):
        """``extend_to`` past the limit is InvalidInput on ``extend_to``."""
        with unchanged(assigned, extension), pytest.raises(InvalidInput) as error:
            services.adjustment_approve(
                request_id=extension.pk,
                actor=journey.staff,
                extend_to=dt.date(2026, 9, 11),
            )
        assert error.value.field == "extend_to"

    def test_limit_counts_from_the_first_assignment_after_reassignment(
        self, journey, assigned, reassignment
    ):
        """A unit that took over later still has until six months after the
        suggestion was first assigned."""
        new_unit = HandlingUnitFactory()
        with clock.frozen_at(at(2026, 3, 20)):
            services.adjustment_approve(
                request_id=reassignment.pk, actor=journey.staff, new_unit=new_unit
            )
        replacement = journey.lead_assignment()
        clerk = UnitMemberFactory(unit=new_unit)
        with pytest.raises(InvalidInput) as error:
            services.assignment_request_extension(
                assignment_id=replacement.pk,
                actor=clerk,
                reason="x",
                until=dt.date(2026, 9, 20),
            )
        assert error.value.field == "until"
        request = services.assignment_request_extension(
            assignment_id=replacement.pk,
            actor=clerk,
            reason="x",
            until=dt.date(2026, 9, 10),
        )
        assert request.requested_until == dt.date(2026, 9, 10)


class TestDeny:
    @pytest.mark.parametrize("kind", ["reassignment", "extension"])
    def test_staff_deny_with_a_reason(self, journey, assigned, request, kind):
        """A denied request changes no assignment; the reason is kept and logged."""
        pending = request.getfixturevalue(kind)
        decided = services.adjustment_deny(
            request_id=pending.pk, actor=journey.staff, reason="理由不充分"
        )
        assert (decided.decision, decided.decision_note, decided.decided_by) == (
            "denied",
            "理由不充分",
            journey.staff,
        )
        assert decided.decided_at == NOW
        assigned.refresh_from_db()
        assert (assigned.active, assigned.due_at, assigned.unit) == (
            True,
            dt.date(2026, 6, 10),
            journey.unit,
        )
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "deny",
            "assigned",
            "assigned",
            "理由不充分",
        )
        assert event.data == {"request": pending.pk, "kind": kind}

    def test_decided_only_once(self, journey, reassignment, unchanged):
        """A denied request cannot be denied (or approved) again."""
        services.adjustment_deny(
            request_id=reassignment.pk, actor=journey.staff, reason="x"
        )
        reassignment.refresh_from_db()
        with unchanged(reassignment), pytest.raises(InvalidTransition):
            services.adjustment_deny(
                request_id=reassignment.pk, actor=journey.staff, reason="y"
            )
        with unchanged(reassignment), pytest.raises(InvalidTransition):
            services.adjustment_approve(
                request_id=reassignment.pk,
                actor=journey.staff,
                new_unit=HandlingUnitFactory(),
            )

    def test_a_new_request_may_follow_a_denied_one(
        self, journey, assigned, reassignment
    ):
        """Once denied, the unit may ask again within the window."""
        services.adjustment_deny(
            request_id=reassignment.pk, actor=journey.staff, reason="x"
        )
        again = services.assignment_request_reassignment(
            assignment_id=assigned.pk, actor=journey.clerk, reason="补充理由"
        )
        assert again.decision == "pending"

    @pytest.mark.parametrize("evaluate", [False, True])
    def test_a_request_left_pending_by_the_reply_can_be_denied(
        self, journey, extension, evaluate
    ):
        """A unit that replied while its request was pending leaves it to staff,
        who can still deny it after the reply and after the rating."""
        journey.reply()
        if evaluate:
            journey.evaluate()
        status = journey.refresh().status
        with pytest.raises(InvalidTransition):
            services.adjustment_approve(request_id=extension.pk, actor=journey.staff)
        services.adjustment_deny(
            request_id=extension.pk, actor=journey.staff, reason="已答复，无需延期"
        )
        extension.refresh_from_db()
        assert extension.decision == "denied"
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status) == (
            "deny",
            status,
            status,
        )

    @pytest.mark.parametrize("who", ["clerk", "deputy", "leader"])
    def test_only_staff_decide(self, journey, reassignment, leader, unchanged, who):
        """Units, deputies and leaders may not deny (NotPermitted)."""
        actor = leader if who == "leader" else getattr(journey, who)
        with unchanged(reassignment), pytest.raises(NotPermitted):
            services.adjustment_deny(
                request_id=reassignment.pk, actor=actor, reason="x"
            )

    def test_reason_is_required(self, journey, reassignment, unchanged):
        """A blank reason is InvalidInput on ``reason``."""
        with unchanged(reassignment), pytest.raises(InvalidInput) as error:
            services.adjustment_deny(
                request_id=reassignment.pk, actor=journey.staff, reason=""
            )
        assert error.value.field == "reason"

    def test_unknown_request(self, journey):
        """An unknown request id answers NotFound."""
        with pytest.raises(NotFound):
            services.adjustment_deny(
                request_id=999_999, actor=journey.staff, reason="x"
            )


# --- contact ---------------------------------------------------------------------------


class TestContact:
    def test_the_unit_records_a_contact(self, journey, assigned):
        """A contact is stored with its method, time, note and author, and logged."""
        with clock.frozen_at(at(2026, 3, 12)):
            record = services.assignment_record_contact(
                assignment_id=assigned.pk,
                actor=journey.clerk,
                method="visit",
                contacted_at=at(2026, 3, 11, 15, 30),
                note=" 上门面商 ",
            )
        record.refresh_from_db()
        assert (
            record.assignment,
            record.method,
            record.contacted_at,
            record.note,
            record.recorded_by,
        ) == (assigned, "visit", at(2026, 3, 11, 15, 30), "上门面商", journey.clerk)
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status, event.data) == (
            "contact",
            "assigned",
            "assigned",
            {"assignment": assigned.pk, "method": "visit", "stage": "before_reply"},
        )

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"method": "email"}, "method"),
            ({"contacted_at": dt.datetime(2026, 3, 10, 10)}, "contacted_at"),  # noqa: DTZ001
            ({"contacted_at": dt.date(2026, 3, 10)}, "contacted_at"),
            ({"contacted_at": at(2026, 3, 10, 11)}, "contacted_at"),  # future
            ({"contacted_at": at(2026, 3, 9)}, "contacted_at"),  # before assignment
            ({"note": 5}, "note"),
        ],
    )
    def test_bad_input(self, journey, assigned, unchanged, kwargs, field):
        """Unknown method, naive, future or pre-assignment time: InvalidInput."""
        fields = {"method": "phone", "contacted_at": NOW} | kwargs
        with unchanged(assigned), pytest.raises(InvalidInput) as error:
            services.assignment_record_contact(
                assignment_id=assigned.pk, actor=journey.clerk, **fields
            )
        assert error.value.field == field

    def test_not_after_the_reply(self, journey, unchanged):
        """Contacts belong to handling; after the reply they are refused."""
        journey.to(Status.REPLIED)
        assignment = journey.lead_assignment()
        with unchanged(assignment), pytest.raises(InvalidTransition):
            services.assignment_record_contact(
                assignment_id=assignment.pk,
                actor=journey.clerk,
                method="phone",
                contacted_at=NOW,
            )

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(self, journey, assigned, leader, unchanged, who):
        """Only the unit records its contacts (NotPermitted)."""
        with unchanged(assigned), pytest.raises(NotPermitted):
            services.assignment_record_contact(
                assignment_id=assigned.pk,
                actor=non_unit_actors(journey, leader)[who],
                method="phone",
                contacted_at=NOW,
            )

    def test_another_unit_finds_nothing(
        self, journey, assigned, other_clerk, unchanged
    ):
        """Another unit's clerk gets NotFound."""
        with unchanged(assigned), pytest.raises(NotFound):
            services.assignment_record_contact(
                assignment_id=assigned.pk,
                actor=other_clerk,
                method="phone",
                contacted_at=NOW,
            )
        assert ContactRecord.objects.count() == 0


# --- reply and opinion -----------------------------------------------------------------


class TestLeadReply:
    def test_the_lead_unit_replies(self, journey, acknowledged):
        """The lead reply is the round's answer: the suggestion is replied, with the
        outcome and time kept on it."""
        reply = services.assignment_reply(
            assignment_id=acknowledged.pk,
            actor=journey.clerk,
            outcome="in_progress",
            body=" 已列入明年计划 ",
            signed_by="局长 王某",
        )
        reply.refresh_from_db()
        assert (
            reply.round,
            reply.is_lead,
            reply.outcome,
            reply.body,
            reply.signed_by,
            reply.sent_by,
            reply.sent_at,
            reply.letter.name,
        ) == (
            1,
            True,
            "in_progress",
            "已列入明年计划",
            "局长 王某",
            journey.clerk,
            NOW,
            "",
        )
        acknowledged.refresh_from_db()
        assert acknowledged.replied_at == NOW
        s = journey.refresh()
        assert (s.status, s.outcome, s.replied_at) == (
            Status.REPLIED,
            "in_progress",
            NOW,
        )
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "reply",
            "assigned",
            "replied",
        )
        assert event.data == {
            "assignment": acknowledged.pk,
            "reply": reply.pk,
            "outcome": "in_progress",
        }

    def test_the_letter_is_stored_under_a_safe_name(self, journey, acknowledged):
        """A PDF letter is stored with an extension judged from its content and a
        random name; the uploaded name is kept apart."""
        letter = SimpleUploadedFile("答复函 <1>.PDF", PDF, "application/pdf")
        reply = services.assignment_reply(
            assignment_id=acknowledged.pk,
            actor=journey.clerk,
            outcome="resolved",
            body="答复",
            letter=letter,
        )
        assert reply.letter_name == "答复函 <1>.PDF"
        assert reply.letter.name.startswith("letters/")
        assert reply.letter.name.endswith(".pdf")
        assert "答复函" not in reply.letter.name
        with reply.letter.open("rb") as stored:
            assert stored.read() == PDF

    def test_a_bad_letter_writes_nothing(self, journey, acknowledged, unchanged):
        """A letter that is not a document is InvalidInput on ``letter``; no reply."""
        letter = SimpleUploadedFile("答复函.pdf", b"just text", "application/pdf")
        with (
            unchanged(journey.suggestion, acknowledged),
            pytest.raises(InvalidInput) as error,
        ):
            services.assignment_reply(
                assignment_id=acknowledged.pk,
                actor=journey.clerk,
                outcome="resolved",
                body="答复",
                letter=letter,
            )
        assert error.value.field == "letter"

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"outcome": "reference"}, "outcome"),  # not offered by default rules
            ({"outcome": "great"}, "outcome"),
            ({"body": "  "}, "body"),
            ({"signed_by": "x" * 101}, "signed_by"),
        ],
    )
    def test_bad_input(self, journey, acknowledged, unchanged, kwargs, field):
        """An outcome the rules do not offer, a blank body or an over-long signer:
        InvalidInput naming the field, nothing written."""
        fields = {"outcome": "resolved", "body": "答复"} | kwargs
        with (
            unchanged(journey.suggestion, acknowledged),
            pytest.raises(InvalidInput) as error,
        ):
            services.assignment_reply(
                assignment_id=acknowledged.pk, actor=journey.clerk, **fields
            )
        assert error.value.field == field

    def test_the_reference_class_when_the_rules_offer_it(self, db, now):
        """Class D is accepted where the congress's rules offer it."""
        from tests.factories import Journey

        journey = Journey()
        HandlingRulesFactory(
            congress=journey.session.congress,
            offered_outcomes=["resolved", "in_progress", "explained", "reference"],
        )
        journey.to(Status.ASSIGNED)
        journey.reply(outcome="reference")
        assert journey.refresh().outcome == "reference"

    def test_acknowledge_first(self, journey, assigned, unchanged):
        """A reply before acknowledgement is refused (InvalidTransition)."""
        with unchanged(journey.suggestion, assigned), pytest.raises(InvalidTransition):
            services.assignment_reply(
                assignment_id=assigned.pk,
                actor=journey.clerk,
                outcome="resolved",
                body="x",
            )

    def test_only_one_reply_per_round(self, journey, unchanged):
        """A second reply is refused (InvalidTransition)."""
        journey.to(Status.REPLIED)
        assignment = journey.lead_assignment()
        with (
            unchanged(journey.suggestion, assignment),
            pytest.raises(InvalidTransition),
        ):
            services.assignment_reply(
                assignment_id=assignment.pk,
                actor=journey.clerk,
                outcome="resolved",
                body="again",
            )

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(
        self, journey, acknowledged, leader, unchanged, who
    ):
        """Only the unit replies (NotPermitted)."""
        with unchanged(acknowledged), pytest.raises(NotPermitted):
            services.assignment_reply(
                assignment_id=acknowledged.pk,
                actor=non_unit_actors(journey, leader)[who],
                outcome="resolved",
                body="x",
            )

    @pytest.mark.parametrize("who", ["other_clerk", "deputy"])
    def test_others_find_nothing(self, journey, acknowledged, request, unchanged, who):
        """Another unit or the deputy finds nothing (NotFound)."""
        actor = journey.deputy if who == "deputy" else request.getfixturevalue(who)
        with unchanged(acknowledged), pytest.raises(NotFound):
            services.assignment_reply(
                assignment_id=acknowledged.pk, actor=actor, outcome="resolved", body="x"
            )


class TestCoUnitOpinion:
    def test_a_co_unit_sends_its_opinion_without_moving_the_status(
        self, journey_with_co_unit
    ):
        """A co-unit's opinion is a non-lead reply; the suggestion stays assigned."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        reply = services.assignment_reply(
            assignment_id=co.pk,
            actor=journey.co_clerk,
            outcome="explained",
            body="意见",
        )
        assert (reply.is_lead, reply.round, reply.outcome) == (False, 1, "explained")
        co.refresh_from_db()
        assert co.replied_at == NOW
        s = journey.refresh()
        assert (s.status, s.outcome, s.replied_at) == (Status.ASSIGNED, "", None)
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "opinion",
            "assigned",
            "assigned",
        )
        # Only the lead reply moves the suggestion on.
        journey.reply()
        assert journey.refresh().status == Status.REPLIED

    def test_no_opinion_after_the_lead_reply(self, journey_with_co_unit, unchanged):
        """Once the lead unit replied the round is over for co-units too."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        journey.reply()
        co.refresh_from_db()
        with unchanged(journey.suggestion, co), pytest.raises(InvalidTransition):
            services.assignment_reply(
                assignment_id=co.pk,
                actor=journey.co_clerk,
                outcome="resolved",
                body="x",
            )

    def test_the_lead_clerk_cannot_write_the_co_units_opinion(
        self, journey_with_co_unit, unchanged
    ):
        """Each unit answers for itself: the lead unit's clerk finds no co-unit
        assignment (NotFound)."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        with unchanged(co), pytest.raises(NotFound):
            services.assignment_reply(
                assignment_id=co.pk, actor=journey.clerk, outcome="resolved", body="x"
            )


# --- promise kept ----------------------------------------------------------------------


class TestFulfil:
    @pytest.fixture
    def promise(self, journey):
        journey.to(Status.ASSIGNED)
        return journey.reply(outcome="in_progress")

    def test_the_unit_reports_the_promise_kept(self, journey, promise):
        """An in-progress lead reply is marked kept with the unit's report."""
        later = at(2026, 10, 8)
        with clock.frozen_at(later):
            reply = services.reply_fulfil(
                reply_id=promise.pk, actor=journey.clerk, note=" 工程已竣工 "
            )
        reply.refresh_from_db()
        assert (reply.fulfilled_at, reply.fulfilment_note) == (later, "工程已竣工")
        event = last_event(journey.suggestion)
        assert (event.action, event.from_status, event.to_status, event.data) == (
            "fulfil",
            "replied",
            "replied",
            {"reply": promise.pk},
        )

    def test_also_after_the_rating(self, journey, promise):
        """A promise can be reported kept after the suggestion closed."""
        journey.evaluate()
        reply = services.reply_fulfil(
            reply_id=promise.pk, actor=journey.clerk, note="完成"
        )
        assert reply.fulfilled_at == NOW
        assert last_event(journey.suggestion).from_status == Status.CLOSED

    def test_only_once(self, journey, promise, unchanged):
        """A promise is reported kept once (InvalidTransition)."""
        services.reply_fulfil(reply_id=promise.pk, actor=journey.clerk, note="完成")
        promise.refresh_from_db()
        with unchanged(promise), pytest.raises(InvalidTransition):
            services.reply_fulfil(
                reply_id=promise.pk, actor=journey.clerk, note="again"
            )

    def test_a_resolved_reply_is_no_promise(self, journey, unchanged):
        """Only a reply classed in progress can be reported kept."""
        journey.to(Status.ASSIGNED)
        reply = journey.reply(outcome="resolved")
        with unchanged(reply), pytest.raises(InvalidTransition):
            services.reply_fulfil(reply_id=reply.pk, actor=journey.clerk, note="x")

    def test_a_co_units_opinion_is_no_promise(self, journey_with_co_unit, unchanged):
        """A co-unit's in-progress opinion is not the suggestion's promise."""
        journey = journey_with_co_unit
        journey.to(Status.ASSIGNED)
        co = journey.co_assignment()
        services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
        opinion = services.assignment_reply(
            assignment_id=co.pk, actor=journey.co_clerk, outcome="in_progress", body="x"
        )
        journey.reply(outcome="in_progress")
        with unchanged(opinion), pytest.raises(InvalidTransition):
            services.reply_fulfil(reply_id=opinion.pk, actor=journey.co_clerk, note="x")

    def test_note_is_required(self, journey, promise, unchanged):
        """A blank report is InvalidInput on ``note``."""
        with unchanged(promise), pytest.raises(InvalidInput) as error:
            services.reply_fulfil(reply_id=promise.pk, actor=journey.clerk, note=" ")
        assert error.value.field == "note"

    @pytest.mark.parametrize("who", ["staff", "leader"])
    def test_staff_and_leaders_may_not(self, journey, promise, leader, unchanged, who):
        """Only the unit reports on its promise (NotPermitted)."""
        with unchanged(promise), pytest.raises(NotPermitted):
            services.reply_fulfil(
                reply_id=promise.pk,
                actor=non_unit_actors(journey, leader)[who],
                note="x",
            )

    def test_another_unit_finds_nothing(self, journey, promise, other_clerk, unchanged):
        """Another unit's clerk, or an unknown reply id, gets NotFound."""
        with unchanged(promise), pytest.raises(NotFound):
            services.reply_fulfil(reply_id=promise.pk, actor=other_clerk, note="x")
        with pytest.raises(NotFound):
            services.reply_fulfil(reply_id=999_999, actor=journey.clerk, note="x")
        assert Reply.objects.filter(fulfilled_at__isnull=False).count() == 0
