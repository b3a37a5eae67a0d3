"""Rules the database itself enforces, whatever code writes the rows (issue 2: "the
rules in the database, not only in Python")."""

import contextlib
import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from suggestions.models import (
    AdjustmentRequest,
    Assignment,
    CoSignature,
    Evaluation,
    Event,
    Reply,
    Suggestion,
)
from tests.factories import (
    AdjustmentRequestFactory,
    AssignmentFactory,
    CoSignatureFactory,
    DeputyFactory,
    EvaluationFactory,
    EventFactory,
    HandlingUnitFactory,
    ReplyFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def refused():
    """The statement inside fails with IntegrityError and is rolled back alone."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# --- suggestion numbers ----------------------------------------------------------------


def test_number_is_unique_within_a_session():
    """Two suggestions of one session cannot share a number."""
    first = SuggestionFactory(registered=True, number=7)
    with refused():
        SuggestionFactory(registered=True, number=7, session=first.session)
    assert Suggestion.objects.filter(number=7).count() == 1


def test_numbers_repeat_across_sessions():
    """Each session numbers from 1: the same number in another session is fine."""
    SuggestionFactory(registered=True, number=1)
    SuggestionFactory(registered=True, number=1, session=SessionFactory())
    assert Suggestion.objects.filter(number=1).count() == 2


@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn", "rejected"])
def test_unfiled_suggestions_have_no_number(status):
    """Only a filed suggestion carries a number."""
    s = SuggestionFactory(status=status)
    with refused():
        Suggestion.objects.filter(pk=s.pk).update(number=5)


# --- suggestion columns ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "lost"), ("outcome", "perfect"), ("rating", "thrilled"), ("round", 0)],
)
def test_suggestion_values_are_checked(field, value):
    """Status, outcome, rating and round outside their choices are refused."""
    s = SuggestionFactory(closed=True)
    with refused():
        Suggestion.objects.filter(pk=s.pk).update(**{field: value})
    s.refresh_from_db()
    assert (s.status, s.outcome, s.rating, s.round) == (
        "closed",
        "resolved",
        "satisfied",
        1,
    )


def test_blank_outcome_and_rating_are_allowed():
    """Before the reply and the rating, outcome and rating are blank."""
    s = SuggestionFactory(assigned=True)
    assert (s.outcome, s.rating) == ("", "")


def test_merged_into_only_when_merged():
    """Only a merged suggestion points at another one."""
    target = SuggestionFactory(registered=True)
    s = SuggestionFactory(submitted=True, session=target.session)
    with refused():
        Suggestion.objects.filter(pk=s.pk).update(merged_into=target)
    Suggestion.objects.filter(pk=s.pk).update(merged_into=target, status="merged")


def test_not_merged_into_itself():
    """A suggestion cannot be merged into itself."""
    s = SuggestionFactory(status="merged")
    with refused():
        Suggestion.objects.filter(pk=s.pk).update(merged_into=s)


# --- co-signers ------------------------------------------------------------------------


def test_lead_deputy_cannot_be_inserted_as_co_signer():
    """A trigger refuses a co-signature by the suggestion's lead deputy."""
    s = SuggestionFactory()
    with refused():
        CoSignature.objects.create(suggestion=s, deputy=s.lead_deputy)
    assert CoSignature.objects.count() == 0


def test_co_signature_cannot_be_moved_onto_the_lead_deputy():
    """Changing a co-signature's deputy to the lead deputy is refused."""
    invitation = CoSignatureFactory()
    lead = invitation.suggestion.lead_deputy
    with refused():
        CoSignature.objects.filter(pk=invitation.pk).update(deputy=lead)
    invitation.refresh_from_db()
    assert invitation.deputy != lead


def test_lead_deputy_cannot_become_one_of_the_co_signers():
    """Changing a suggestion's lead deputy to one of its co-signers is refused."""
    invitation = CoSignatureFactory()
    s = invitation.suggestion
    original = s.lead_deputy
    s.lead_deputy = invitation.deputy
    with refused():
        s.save()
    assert Suggestion.objects.get(pk=s.pk).lead_deputy == original


def test_lead_deputy_may_change_to_someone_else():
    """The trigger lets a lead deputy change to a deputy who is not a co-signer."""
    invitation = CoSignatureFactory()
    s = invitation.suggestion
    newcomer = DeputyFactory(delegation=s.lead_deputy.delegation)
    Suggestion.objects.filter(pk=s.pk).update(lead_deputy=newcomer)
    assert Suggestion.objects.get(pk=s.pk).lead_deputy == newcomer


def test_a_deputy_co_signs_once():
    """One invitation per deputy and suggestion."""
    invitation = CoSignatureFactory()
    with refused():
        CoSignatureFactory(suggestion=invitation.suggestion, deputy=invitation.deputy)


# --- assignments -----------------------------------------------------------------------


def test_one_active_lead_assignment_per_round():
    """A second active lead assignment in the same round is refused."""
    lead = AssignmentFactory()
    with refused():
        AssignmentFactory(suggestion=lead.suggestion, unit=HandlingUnitFactory())
    assert Assignment.objects.count() == 1


def test_a_retired_lead_leaves_room_for_its_replacement():
    """After a reassignment the retired lead and the new active lead coexist, and a
    new round has its own lead."""
    lead = AssignmentFactory(active=False)
    AssignmentFactory(suggestion=lead.suggestion, unit=HandlingUnitFactory())
    AssignmentFactory(suggestion=lead.suggestion, unit=lead.unit, round=2)
    AssignmentFactory(suggestion=lead.suggestion, role="co", unit=HandlingUnitFactory())
    assert lead.suggestion.assignments.count() == 4


def test_a_unit_is_assigned_once_per_round():
    """The same unit cannot hold two active assignments of one round."""
    lead = AssignmentFactory()
    with refused():
        AssignmentFactory(suggestion=lead.suggestion, unit=lead.unit, role="co")


@pytest.mark.parametrize(("field", "value"), [("role", "helper"), ("round", 0)])
def test_assignment_values_are_checked(field, value):
    """Role and round outside their choices are refused."""
    assignment = AssignmentFactory()
    with refused():
        Assignment.objects.filter(pk=assignment.pk).update(**{field: value})


# --- requests, replies, evaluations, events --------------------------------------------


def test_one_pending_request_per_kind():
    """An assignment has at most one pending request of each kind."""
    request = AdjustmentRequestFactory()
    AdjustmentRequestFactory(
        assignment=request.assignment,
        kind="extension",
        requested_until=dt.date(2026, 8, 1),
    )
    with refused():
        AdjustmentRequestFactory(assignment=request.assignment)
    assert AdjustmentRequest.objects.count() == 2


def test_a_decision_names_who_and_when():
    """A decided request must record its decider and time."""
    request = AdjustmentRequestFactory()
    with refused():
        AdjustmentRequest.objects.filter(pk=request.pk).update(decision="approved")
    AdjustmentRequest.objects.filter(pk=request.pk).update(
        decision="approved", decided_by=StaffFactory(), decided_at=timezone.now()
    )


def test_reply_outcome_is_checked():
    """A reply's outcome must be one of the classes."""
    reply = ReplyFactory()
    with refused():
        Reply.objects.filter(pk=reply.pk).update(outcome="meh")


def test_one_evaluation_per_suggestion_and_round():
    """A round's reply is rated once; the next round gets its own rating."""
    evaluation = EvaluationFactory()
    with refused():
        EvaluationFactory(suggestion=evaluation.suggestion, rating="dissatisfied")
    EvaluationFactory(suggestion=evaluation.suggestion, round=2)
    assert evaluation.suggestion.evaluations.count() == 2


def test_evaluation_rating_is_checked():
    """An evaluation's rating must be one of the ratings."""
    with refused():
        EvaluationFactory(rating="ecstatic")


def test_an_evaluation_is_immutable():
    """Saving an existing evaluation raises; the stored rating stays."""
    evaluation = EvaluationFactory(rating="satisfied")
    evaluation.rating = "dissatisfied"
    with pytest.raises(ValueError):
        evaluation.save()
    assert Evaluation.objects.get(pk=evaluation.pk).rating == "satisfied"


def test_the_timeline_is_append_only():
    """Saving an existing event raises; the stored entry stays."""
    event = EventFactory(action="submit")
    event.action = "forged"
    with pytest.raises(ValueError):
        event.save()
    assert Event.objects.get(pk=event.pk).action == "submit"


# --- the timeline and the ratings: written once -----------------------------------------


@pytest.mark.parametrize(
    ("factory", "change"),
    [(EventFactory, {"note": "rewritten"}), (EvaluationFactory, {"comment": "edited"})],
)
def test_the_database_refuses_to_change_a_timeline_entry_or_a_rating(factory, change):
    row = factory()
    model = type(row)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**change)
    [(field, _value)] = change.items()
    assert getattr(model.objects.get(pk=row.pk), field) == getattr(row, field)


def test_a_deleted_draft_takes_its_timeline_with_it():
    event = EventFactory()
    event.suggestion.delete()
    assert not Event.objects.filter(pk=event.pk).exists()
