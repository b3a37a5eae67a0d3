"""The three meetings (三见面): each contact records its stage; the congress's rules
say which stages the lead unit must have met the deputy at before it may reply; the
reply is refused, naming what is missing, until then."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from common.errors import InvalidInput, InvalidTransition
from congress.models import ContactStage, HandlingRules
from suggestions import actions, services
from suggestions.models import ContactRecord, Event, Outcome, Rating, Reply, Status
from tests.factories import HandlingRulesFactory

pytestmark = pytest.mark.django_db

ALL = ["before", "during", "before_reply"]


def _require(journey, stages):
    HandlingRules.objects.update_or_create(
        congress=journey.session.congress,
        defaults={"required_contact_stages": stages},
    )


def _acknowledged(journey, stages=None):
    if stages is not None:
        _require(journey, stages)
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    return journey.lead_assignment()


def _reply(journey, assignment):
    return services.assignment_reply(
        assignment_id=assignment.pk,
        actor=journey.clerk,
        outcome=Outcome.RESOLVED,
        body="经研究，问题已解决。",
    )


def test_by_default_the_reply_waits_for_the_meeting_before_it(journey):
    """The default rule asks one meeting, before replying: without it the reply is
    refused with the stage named, nothing written; with it the reply goes."""
    assignment = _acknowledged(journey)
    assert actions.missing_contact_stages(assignment) == ["before_reply"]
    assert "reply" not in actions.assignment_actions(journey.clerk, assignment)
    with pytest.raises(InvalidTransition) as refused:
        _reply(journey, assignment)
    assert "“Before replying”" in str(refused.value.message)
    assert not Reply.objects.exists()
    assert journey.refresh().status == Status.ASSIGNED
    journey.meet()
    assert actions.missing_contact_stages(assignment) == []
    assert "reply" in actions.assignment_actions(journey.clerk, assignment)
    _reply(journey, assignment)
    assert journey.refresh().status == Status.REPLIED


def test_the_refusal_names_the_stage_in_chinese(journey):
    assignment = _acknowledged(journey)
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        _reply(journey, assignment)
    assert str(refused.value.message) == "答复前须与代表见面：尚缺「答复前」沟通记录。"


def test_a_meeting_of_another_stage_does_not_stand_for_the_required_one(journey):
    assignment = _acknowledged(journey)
    journey.meet(ContactStage.BEFORE, ContactStage.DURING)
    assert actions.missing_contact_stages(assignment) == ["before_reply"]
    with pytest.raises(InvalidTransition):
        _reply(journey, assignment)


def test_all_three_meetings_when_the_rules_ask_them(journey):
    """With the full 三见面 required, the refusal names every stage still missing in
    its order, and shrinks as they are recorded."""
    assignment = _acknowledged(journey, ["before_reply", "before", "during"])
    with pytest.raises(InvalidTransition) as refused:
        _reply(journey, assignment)
    message = str(refused.value.message)
    assert message.index("Before handling") < message.index("During handling")
    assert message.index("During handling") < message.index("Before replying")
    journey.meet(ContactStage.BEFORE)
    assert actions.missing_contact_stages(assignment) == ["during", "before_reply"]
    with pytest.raises(InvalidTransition) as refused:
        _reply(journey, assignment)
    assert "Before handling" not in str(refused.value.message)
    journey.meet(ContactStage.DURING, ContactStage.BEFORE_REPLY)
    _reply(journey, assignment)
    assert journey.refresh().status == Status.REPLIED


def test_no_meeting_required_when_the_rules_ask_none(journey):
    assignment = _acknowledged(journey, [])
    assert actions.missing_contact_stages(assignment) == []
    _reply(journey, assignment)
    assert journey.refresh().status == Status.REPLIED


def test_the_rules_are_read_when_the_reply_is_sent(journey):
    """A congress that tightens its rules holds back a reply not yet sent."""
    assignment = _acknowledged(journey)
    journey.meet()
    _require(journey, ALL)
    with pytest.raises(InvalidTransition):
        _reply(journey, assignment)


def test_a_co_unit_opinion_needs_no_meeting(journey_with_co_unit):
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    co = journey.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
    assert actions.missing_contact_stages(co) == []
    services.assignment_reply(
        assignment_id=co.pk,
        actor=journey.co_clerk,
        outcome=Outcome.RESOLVED,
        body="协办意见。",
    )
    assert Reply.objects.get(assignment=co).is_lead is False


def test_a_rehandling_round_meets_the_deputy_again(journey):
    """The first round's meeting was the first assignment's: the new round's lead
    assignment records its own before its reply."""
    journey.to(Status.REPLIED)
    journey.evaluate(Rating.DISSATISFIED)
    second = journey.lead_assignment()
    assert second.round == 2
    journey.acknowledge()
    assert actions.missing_contact_stages(second) == ["before_reply"]
    with pytest.raises(InvalidTransition):
        _reply(journey, second)
    journey.meet()
    _reply(journey, second)
    assert journey.refresh().status == Status.REPLIED


def test_the_contact_keeps_its_stage_on_the_timeline(journey):
    assignment = _acknowledged(journey)
    (record,) = journey.meet(ContactStage.DURING)
    assert ContactRecord.objects.get().stage == "during"
    event = Event.objects.get(action="contact")
    assert event.data == {
        "assignment": assignment.pk,
        "method": "phone",
        "stage": "during",
    }
    assert record.get_stage_display() == "During handling"


def test_an_unknown_stage_is_a_field_error(journey):
    assignment = _acknowledged(journey)
    with pytest.raises(InvalidInput) as refused:
        services.assignment_record_contact(
            assignment_id=assignment.pk,
            actor=journey.clerk,
            method="phone",
            contacted_at=assignment.assigned_at,
            stage="after",
        )
    assert refused.value.field == "stage"
    assert not ContactRecord.objects.exists()


def test_the_database_refuses_an_unknown_stage(journey):
    assignment = _acknowledged(journey)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactRecord.objects.create(
            assignment=assignment,
            method="phone",
            stage="after",
            contacted_at=assignment.assigned_at,
            recorded_by=journey.clerk,
        )


def test_the_rules_take_known_stages_only_and_read_them_in_order(db):
    rules = HandlingRulesFactory(required_contact_stages=["before_reply", "before"])
    assert rules.required_stages == ["before", "before_reply"]
    rules.required_contact_stages = ["after"]
    with pytest.raises(ValidationError) as refused:
        rules.clean()
    assert "required_contact_stages" in refused.value.message_dict
    rules.required_contact_stages = "before"
    with pytest.raises(ValidationError):
        rules.clean()


def test_new_rules_ask_the_meeting_before_replying(db):
    assert HandlingRules().required_stages == ["before_reply"]
