"""Who hears of each workflow change, and what they read (DESIGN.md §4, issue 5).

The suggestion services write the messages in their own transaction; these tests drive
the real services (``Journey``) and read the inboxes.
"""

import datetime as dt

import pytest
from django.db import transaction

from common import clock
from notifications import events
from notifications.models import Delivery, Notification
from suggestions import services
from suggestions.models import AdjustmentKind, AssignmentRole, Outcome, Rating, Status
from tests.conftest import at
from tests.factories import (
    DeputyFactory,
    HandlingRulesFactory,
    HandlingUnitFactory,
    Journey,
    UnitMemberFactory,
    deputy_user,
)

from .helpers import as_read_by, inbox, kinds

TITLE = "关于加快老旧小区改造的建议"


def signed_journey(journey: Journey, *, invited_only=None) -> Journey:
    """The journey's suggestion drafted with the co-signer confirmed (and
    ``invited_only`` invited but never confirming), then submitted and filed."""
    invited = [journey.cosigner.deputy_profile.pk]
    if invited_only is not None:
        invited.append(invited_only.deputy_profile.pk)
    journey.create(co_signers=invited)
    services.suggestion_cosign(
        suggestion_id=journey.suggestion.pk, actor=journey.cosigner
    )
    journey.submit()
    journey.register()
    return journey


def test_cosign_invitation_reaches_the_invited_deputy_only(journey):
    """A co-sign invitation goes to the invited deputy, not to the one who invites."""
    no_account = DeputyFactory(delegation__congress=journey.session.congress)
    journey.create(co_signers=[journey.cosigner.deputy_profile.pk, no_account.pk])
    [message] = inbox(journey.cosigner)
    assert message.kind == "cosign_invitation"
    assert message.suggestion == journey.suggestion
    assert TITLE in message.title
    assert journey.deputy.name in message.body
    assert kinds(journey.deputy) == []


def test_assignment_tells_each_units_members_and_the_deputies(journey_with_co_unit):
    """Assigned: every active member of the lead unit and of each co-unit is told its
    role and due date; the lead deputy and confirmed co-signers are told where it
    went; an invited deputy who never confirmed, staff and other units hear nothing."""
    j = journey_with_co_unit
    invited_only = deputy_user(delegation__congress=j.session.congress)
    signed_journey(j, invited_only=invited_only)
    second_clerk = UnitMemberFactory(unit=j.unit)
    retired_clerk = UnitMemberFactory(unit=j.unit, is_active=False)
    bystander = UnitMemberFactory(unit=HandlingUnitFactory())

    j.assign()

    for clerk in (j.clerk, second_clerk):
        [message] = inbox(clerk, "assigned")
        assert TITLE in message.title
        assert as_read_by(clerk, AssignmentRole.LEAD.label) in message.body
        assert as_read_by(clerk, dt.date(2026, 6, 10)) in message.body
    [co_message] = inbox(j.co_clerk, "assigned_co")
    assert as_read_by(j.co_clerk, AssignmentRole.CO.label) in co_message.body
    # A co-unit's opinion is due a month after assignment.
    assert as_read_by(j.co_clerk, dt.date(2026, 4, 10)) in co_message.body
    for deputy, kind in (
        (j.deputy, "assigned_deputy"),
        (j.cosigner, "assigned_cosigner"),
    ):
        [message] = inbox(deputy, kind)
        assert str(j.unit) in message.body
    assert kinds(invited_only) == ["cosign_invitation"]
    for nobody in (retired_clerk, bystander, j.staff):
        assert kinds(nobody) == []


def test_acknowledgement_tells_the_lead_deputy(journey_with_co_unit):
    """Acknowledged by the lead unit: the lead deputy hears it; a co-unit's
    acknowledgement is nobody's news."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)
    co = j.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=j.co_clerk)
    assert inbox(j.deputy, "acknowledged") == []

    j.acknowledge()

    [message] = inbox(j.deputy, "acknowledged")
    assert str(j.unit) in message.title
    assert inbox(j.cosigner, "acknowledged") == []
    assert inbox(j.clerk, "acknowledged") == []


@pytest.mark.parametrize(
    ("kind", "message_kind", "says"),
    [
        (AdjustmentKind.REASSIGNMENT, "reassignment_requested", "不属于本单位职责。"),
        (AdjustmentKind.EXTENSION, "extension_requested", dt.date(2026, 8, 10)),
    ],
)
def test_adjustment_requests_go_to_staff(journey, staff, kind, message_kind, says):
    """A unit's request for reassignment or more time goes to every staff member."""
    journey.to(Status.ASSIGNED)
    assignment = journey.lead_assignment()
    if kind == AdjustmentKind.REASSIGNMENT:
        services.assignment_request_reassignment(
            assignment_id=assignment.pk,
            actor=journey.clerk,
            reason="不属于本单位职责。",
        )
    else:
        services.assignment_request_extension(
            assignment_id=assignment.pk,
            actor=journey.clerk,
            reason="涉及多个部门，需要更多时间。",
            until=dt.date(2026, 8, 10),
        )
    for member in (journey.staff, staff):
        [message] = inbox(member, message_kind)
        assert as_read_by(member, says) in message.body
    assert inbox(journey.clerk, message_kind) == []
    assert inbox(journey.deputy, message_kind) == []


def test_approved_reassignment_tells_the_asking_unit_and_assigns_the_new_one(journey):
    """Reassignment approved: the asking unit hears the decision, the new unit's
    members get an "assigned" message with the kept deadline, and the deputies learn
    where their suggestion went."""
    journey.to(Status.ASSIGNED)
    request = services.assignment_request_reassignment(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="不属于本单位职责。",
    )
    new_unit = HandlingUnitFactory()
    new_clerk = UnitMemberFactory(unit=new_unit)
    deputy_messages = len(inbox(journey.deputy))

    services.adjustment_approve(
        request_id=request.pk, actor=journey.staff, new_unit=new_unit
    )

    [decision] = inbox(journey.clerk, "reassignment_approved")
    due = dt.date(2026, 6, 10)  # the deadline stays
    assert str(new_unit) in decision.body and "不再承办" in decision.body
    assert kinds(new_clerk) == ["reassigned_in"]
    assert as_read_by(new_clerk, due) in inbox(new_clerk)[0].body
    assert "请立即签收" in inbox(new_clerk)[0].body
    assert len(inbox(journey.clerk, "assigned")) == 1  # only the original one
    [*_, news] = inbox(journey.deputy)
    assert len(inbox(journey.deputy)) == deputy_messages + 1
    assert news.kind == "reassigned_deputy"
    assert str(new_unit) in news.body


def test_approved_co_unit_reassignment_is_no_news_to_the_deputies(
    journey_with_co_unit,
):
    """A co-unit replaced: the new co-unit is told, the deputies are not told again
    that the lead unit has their suggestion."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)
    request = services.assignment_request_reassignment(
        assignment_id=j.co_assignment().pk, actor=j.co_clerk, reason="不属于本单位。"
    )
    new_unit = HandlingUnitFactory()
    new_clerk = UnitMemberFactory(unit=new_unit)
    before = kinds(j.deputy)

    services.adjustment_approve(request_id=request.pk, actor=j.staff, new_unit=new_unit)

    assert kinds(new_clerk) == ["reassigned_in_co"]
    assert as_read_by(new_clerk, AssignmentRole.CO.label) in inbox(new_clerk)[0].body
    assert kinds(j.co_clerk)[-1] == "reassignment_approved"
    assert kinds(j.deputy) == before


def test_denied_request_tells_the_asking_unit_only(journey):
    """A request denied: the asking unit reads the reason; nobody else hears."""
    journey.to(Status.ASSIGNED)
    request = services.assignment_request_extension(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="需要更多时间。",
        until=dt.date(2026, 8, 10),
    )
    deputy_before = kinds(journey.deputy)

    services.adjustment_deny(
        request_id=request.pk, actor=journey.staff, reason="期限足够。"
    )

    [message] = inbox(journey.clerk, "extension_denied")
    assert "期限足够。" in message.body
    # The deadline that stays is named as the deadline.
    assert "答复期限仍为" + as_read_by(journey.clerk, dt.date(2026, 6, 10)) in (
        message.body
    )
    assert kinds(journey.deputy) == deputy_before


def test_extension_approved_tells_the_unit_its_new_date(journey):
    """An extension approved: the unit reads its new deadline."""
    journey.to(Status.ASSIGNED)
    request = services.assignment_request_extension(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="需要更多时间。",
        until=dt.date(2026, 8, 10),
    )
    services.adjustment_approve(request_id=request.pk, actor=journey.staff)
    [message] = inbox(journey.clerk, "extension_approved")
    new_date = as_read_by(journey.clerk, dt.date(2026, 8, 10))
    assert message.body.endswith(f"新的答复期限为{new_date}。")


def test_reply_reaches_lead_deputy_confirmed_cosigners_and_merged_deputies(journey):
    """The lead unit's reply goes to the lead deputy, each confirmed co-signer and the
    deputies of suggestions merged into this one — not to an invitee who never
    confirmed, nor to the unit or staff."""
    invited_only = deputy_user(delegation__congress=journey.session.congress)
    signed_journey(journey, invited_only=invited_only)
    # Another deputy's suggestion on the same matter, merged into this one.
    other = Journey(session=journey.session)
    other.create(title="关于老旧小区加装电梯的建议")
    services.suggestion_cosign(suggestion_id=other.suggestion.pk, actor=other.cosigner)
    other.submit()
    services.suggestion_merge(
        suggestion_id=other.suggestion.pk,
        actor=journey.staff,
        into=journey.suggestion.pk,
    )
    journey.assign()

    journey.reply()

    for deputy in (journey.deputy, journey.cosigner, other.deputy, other.cosigner):
        # Only the lead deputy rates: the others are told who does.
        kind = "replied" if deputy == journey.deputy else "replied_cosigner"
        [message] = inbox(deputy, kind)
        assert message.suggestion == journey.suggestion
        assert TITLE in message.title
        assert as_read_by(deputy, Outcome.RESOLVED.label) in message.body
        # The rating window: 15 working days from 10 March 2026.
        rate_by = as_read_by(deputy, dt.date(2026, 3, 31))
        assert (rate_by in message.body) == (deputy == journey.deputy)
    for nobody in (invited_only, journey.clerk, journey.staff):
        assert inbox(nobody, "replied") == []
        assert inbox(nobody, "replied_cosigner") == []


def test_co_unit_opinion_goes_to_the_lead_unit(journey_with_co_unit):
    """A co-unit's opinion is for the lead unit's members, not for the deputies."""
    j = journey_with_co_unit
    j.to(Status.ASSIGNED)
    co = j.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=j.co_clerk)
    deputy_before = kinds(j.deputy)

    services.assignment_reply(
        assignment_id=co.pk, actor=j.co_clerk, outcome="resolved", body="协办意见。"
    )

    [message] = inbox(j.clerk, "opinion")
    assert TITLE in message.title
    assert str(j.co_unit) in message.body
    assert kinds(j.deputy) == deputy_before
    assert inbox(j.co_clerk, "opinion") == []


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
def test_evaluation_goes_to_the_unit_and_staff(journey, staff, rating):
    """A rating that closes the suggestion: the lead unit and all staff read it."""
    journey.to(Status.REPLIED)
    journey.evaluate(rating, comment="办理认真。")
    for user, kind in (
        (journey.clerk, "evaluated"),
        (journey.staff, "evaluated_staff"),
        (staff, "evaluated_staff"),
    ):
        [message] = inbox(user, kind)
        assert "办理认真。" in message.body
    assert inbox(journey.deputy, "evaluated") == []
    assert inbox(journey.clerk, "rehandling") == []


def test_dissatisfied_rating_sends_the_unit_back_with_the_new_deadline(journey):
    """Dissatisfied with a round left: the unit is told to handle it again by the new
    deadline (a month later); staff hear the rating."""
    journey.to(Status.REPLIED)
    with clock.frozen_at(at(2026, 3, 20)):
        journey.evaluate(Rating.DISSATISFIED, comment="问题没有解决。")

    [message] = inbox(journey.clerk, "rehandling")
    assert TITLE in message.title
    assert "问题没有解决。" in message.body
    assert as_read_by(journey.clerk, dt.date(2026, 4, 20)) in message.body
    assert inbox(journey.clerk, "evaluated") == []
    assert kinds(journey.staff)[-1] == "rehandling_staff"
    assert inbox(journey.staff, "rehandling") == []


def test_dissatisfied_in_the_last_round_is_escalated_to_staff(journey):
    """Dissatisfied with no round left: unit and staff read the rating; staff are
    told it needs escalation; nobody is sent back to work."""
    HandlingRulesFactory(congress=journey.session.congress, max_rehandling_rounds=0)
    journey.to(Status.REPLIED)
    journey.evaluate(Rating.DISSATISFIED, comment="仍未解决。")

    assert kinds(journey.clerk)[-1] == "evaluated"
    assert inbox(journey.clerk, "rehandling") == []
    assert kinds(journey.staff)[-2:] == ["evaluated_staff", "escalated"]


def test_a_failed_transaction_leaves_no_notification(journey, monkeypatch):
    """The service raises after some messages were written: none of them, nor their
    e-mail copies, remain."""
    journey.create()
    journey.submit()
    journey.register()
    before = Notification.objects.count(), Delivery.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The units are told first, the deputies last: fail at the deputies.
    monkeypatch.setattr(events, "deputy_users", broken)
    with pytest.raises(RuntimeError):
        journey.assign()

    assert (Notification.objects.count(), Delivery.objects.count()) == before
    assert journey.refresh().status == Status.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(now, monkeypatch):
    """With real commits: a transaction that fails after the service wrote its
    messages leaves no row, and the worker is never asked to deliver; the same
    change committed does ask."""
    enqueued = []
    monkeypatch.setattr(
        "common.tasks.send_now", lambda task, *a, **kw: enqueued.append(task.name)
    )
    journey = Journey()
    journey.create()
    journey.submit()
    journey.register()
    enqueued.clear()
    before = Notification.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        journey.assign()
        assert Notification.objects.count() > before
        raise RuntimeError("a later step of the request failed")

    assert Notification.objects.count() == before
    assert not Delivery.objects.filter(notification__kind="assigned").exists()
    assert enqueued == []
    journey.assign()
    assert enqueued  # the same change, committed, does ask for delivery
