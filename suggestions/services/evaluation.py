"""Deputies rate the replies, online or on site at an evaluation meeting (staff enter
those); staff publish the replies."""

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound
from congress.models import Deputy, HandlingUnit, Session

from .. import actions, deadlines, ratings, rules, workflow
from ..letters import EXTENSIONS, validate_scan
from ..models import (
    Assignment,
    AssignmentRole,
    Evaluation,
    EvaluationMeeting,
    Rating,
    RatingChannel,
    Reply,
    Status,
    Suggestion,
)
from ..rules import require_staff
from ..signals import announce
from ._shared import (
    _choice,
    _lock_suggestion,
    _rules,
    _text,
)

# --- deputies: rating; staff: publishing ------------------------------------------


@transaction.atomic
def suggestion_evaluate(
    *,
    suggestion_id: int,
    actor,
    result: str | None = None,
    attitude: str | None = None,
    comment: str = "",
    rating: str | None = None,
) -> Evaluation:
    """The lead deputy rates the round's reply online: the handling attitude (办理态度)
    and the result (办理结果). ``rating`` is the result's former name (accepted as
    it; an attitude is then optional). Whether the suggestion goes back for
    re-handling is ``ratings.sends_back`` (``_record``)."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "evaluate", suggestion)
    deputy = rules.require_lead_deputy(actor, suggestion)
    result = _result(result, rating)
    if rating is None or attitude is not None:
        attitude = _choice(attitude, Rating, "attitude")
    return _record(
        suggestion,
        actor=actor,
        deputy=deputy,
        attitude=attitude,
        result=result,
        comment=comment,
    )


def _result(result, rating) -> str:
    """The result's rating, given as ``result`` or by its former name ``rating``
    (both only if they agree)."""
    if result is None and rating is None:
        raise InvalidInput(_("This field is required."), field="result")
    if result is not None and rating is not None and result != rating:
        raise InvalidInput(
            _("Give the result once: as result, or as rating."), field="rating"
        )
    if result is None:
        return _choice(rating, Rating, "rating")
    return _choice(result, Rating, "result")


def _record(
    suggestion: Suggestion,
    *,
    actor,
    deputy,
    attitude: str | None,
    result: str,
    comment: str,
    channel: str = RatingChannel.ONLINE,
    meeting: EvaluationMeeting | None = None,
    form_scan=None,
    scan_kind: str = "",
) -> Evaluation:
    """Write the round's rating and its consequence; the caller holds the row lock
    and has checked who rates and that the reply may be rated now. Unless the
    rating sends the suggestion back (``ratings.sends_back``, the congress's
    rules) it closes; otherwise a re-handling round starts with a new deadline,
    unless the rules' rounds are used up: then it closes, flagged for
    escalation."""
    comment = _text(comment, "comment", required=False)
    if Rating.DISSATISFIED in (attitude, result) and not comment:
        raise InvalidInput(
            _("Say what remains unsolved, so the unit can handle it again."),
            field="comment",
        )
    now = clock.now()
    evaluation = Evaluation(
        suggestion=suggestion,
        round=suggestion.round,
        deputy=deputy,
        rating=result,
        attitude=attitude or "",
        comment=comment,
        channel=channel,
        entered_by=actor,
        meeting=meeting,
        created_at=now,
    )
    if form_scan is not None:
        evaluation.form_scan.save(
            f"evaluation-form{EXTENSIONS[scan_kind]}", form_scan, save=False
        )
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise InvalidTransition(_("This reply has already been rated.")) from None
    suggestion.rating = result
    handling = _rules(suggestion)
    lead = suggestion.assignments.get(
        round=suggestion.round, role=AssignmentRole.LEAD, active=True
    )
    due = None
    rounds_used = suggestion.round - 1
    data = {
        "rating": result,
        "attitude": attitude or "",
        "round": suggestion.round,
        "channel": channel,
    }
    if meeting is not None:
        data.update({"meeting": meeting.pk, "deputy": deputy.name})
    if not ratings.sends_back(handling, attitude=attitude, result=result):
        suggestion.closed_at = now
        workflow.move(suggestion, "evaluate", actor=actor, to=Status.CLOSED, data=data)
    elif rounds_used >= handling.max_rehandling_rounds:
        suggestion.closed_at = now
        suggestion.escalated = True
        data["escalated"] = True
        workflow.move(
            suggestion,
            "evaluate",
            actor=actor,
            to=Status.CLOSED,
            note=comment,
            data=data,
        )
    else:
        suggestion.round += 1
        # Publication is per reply: the new round's reply starts unpublished, and
        # the suggestion leaves the public pages until staff publish that reply.
        suggestion.is_public = False
        due = deadlines.rehandling_due(handling, timezone.localdate(now))
        Assignment.objects.create(
            suggestion=suggestion,
            unit_id=lead.unit_id,
            role=AssignmentRole.LEAD,
            round=suggestion.round,
            assigned_at=now,
            due_at=due,
        )
        suggestion.due_at = due
        data.update({"rehandling_round": suggestion.round, "due_at": due.isoformat()})
        workflow.move(
            suggestion,
            "evaluate",
            actor=actor,
            to=Status.REHANDLING,
            note=comment,
            data=data,
        )
    suggestion.save()
    announce(
        "evaluated",
        suggestion=suggestion,
        evaluation=evaluation,
        lead_unit_id=lead.unit_id,
        new_due=due,
    )
    return evaluation


# --- staff: on-site evaluation (现场测评) ------------------------------------------


@transaction.atomic
def evaluation_meeting_create(
    *,
    actor,
    session: Session | int,
    held_on: date,
    place: str,
    deputies: Sequence,
    units: Sequence = (),
) -> EvaluationMeeting:
    """Staff record an evaluation meeting (现场测评会) of a session of their body:
    when and where it was held, the deputies present (of the session's congress,
    at least one) and the units reporting (of the body)."""
    require_staff(actor)
    session_id = getattr(session, "pk", session)
    session = (
        Session.objects.select_related("congress")
        .filter(pk=session_id if isinstance(session_id, int) else None)
        .first()
    )
    if session is None or not actor.is_staff_of(session.congress.body_id):
        raise InvalidInput(_("Unknown session."), field="session")
    if not isinstance(held_on, date):
        raise InvalidInput(_("Enter a valid date."), field="held_on")
    place = _text(place, "place", max_length=200, one_line=True)
    deputy_ids = _ids(deputies, "deputies")
    if not deputy_ids:
        raise InvalidInput(
            _("Choose the deputies present at the meeting."), field="deputies"
        )
    found = list(
        Deputy.objects.filter(pk__in=deputy_ids, delegation__congress=session.congress)
    )
    if len(found) != len(deputy_ids):
        raise InvalidInput(
            _("Choose deputies of the session's congress."), field="deputies"
        )
    unit_ids = _ids(units, "units")
    found_units = list(
        HandlingUnit.objects.filter(pk__in=unit_ids, body_id=session.congress.body_id)
    )
    if len(found_units) != len(unit_ids):
        raise InvalidInput(_("Choose units of the session's body."), field="units")
    meeting = EvaluationMeeting.objects.create(
        session=session,
        held_on=held_on,
        place=place,
        created_by=actor,
        created_at=clock.now(),
    )
    meeting.deputies.set(found)
    meeting.units.set(found_units)
    return meeting


def _ids(values, field: str) -> set[int]:
    ids = set()
    for value in values or ():
        pk = getattr(value, "pk", value)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise InvalidInput(_("Unknown choice."), field=field)
        ids.add(pk)
    return ids


@transaction.atomic
def evaluation_meeting_rate(
    *,
    meeting_id: int,
    actor,
    suggestion_id: int,
    deputy_id: int,
    attitude: str,
    result: str,
    form_scan,
    comment: str = "",
) -> Evaluation:
    """Staff enter the ratings a deputy gave on site (现场测评) on the signed
    征询意见表, with its scan: channel on_site, entered by the staff member, with
    the same consequence as the deputy's own rating (``_record``). Who may be
    rated and when: ``actions.require_on_site_rating``."""
    require_staff(actor)
    meeting = _meeting_of(actor, meeting_id)
    try:
        suggestion = _lock_suggestion(suggestion_id)
    except NotFound:
        raise InvalidInput(_("Unknown suggestion."), field="suggestion") from None
    if not rules.can_see(actor, suggestion):
        raise InvalidInput(_("Unknown suggestion."), field="suggestion")
    if not isinstance(deputy_id, int) or isinstance(deputy_id, bool):
        raise InvalidInput(_("Unknown deputy."), field="deputy")
    actions.require_on_site_rating(
        actor, suggestion, meeting=meeting, deputy_id=deputy_id
    )
    attitude = _choice(attitude, Rating, "attitude")
    result = _choice(result, Rating, "result")
    kind = validate_scan(
        form_scan,
        "form_scan",
        missing=_("Attach the scan of the signed evaluation form."),
    )
    return _record(
        suggestion,
        actor=actor,
        deputy=Deputy.objects.get(pk=deputy_id),
        attitude=attitude,
        result=result,
        comment=comment,
        channel=RatingChannel.ON_SITE,
        meeting=meeting,
        form_scan=form_scan,
        scan_kind=kind,
    )


def _meeting_of(actor, meeting_id) -> EvaluationMeeting:
    """The meeting, if it is of a session of the actor's bodies; else NotFound."""
    try:
        meeting = EvaluationMeeting.objects.select_related("session__congress").get(
            pk=meeting_id
        )
    except (EvaluationMeeting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not actor.is_staff_of(meeting.session.congress.body_id):
        raise NotFound()
    return meeting


@transaction.atomic
def suggestion_publish(*, suggestion_id: int, actor, is_public: bool) -> Suggestion:
    """Make the lead replies public (答复公开) or withdraw them from the public pages:
    every lead reply sent so far. A later round's reply starts unpublished (a new
    round unpublishes the suggestion, ``suggestion_evaluate``) until staff publish
    again."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "publish", suggestion)
    if not isinstance(is_public, bool):
        raise InvalidInput(_("Say true or false."), field="is_public")
    suggestion.is_public = is_public
    Reply.objects.filter(assignment__suggestion=suggestion, is_lead=True).update(
        is_public=is_public
    )
    workflow.move(suggestion, "publish", actor=actor, data={"is_public": is_public})
    suggestion.save(update_fields=["is_public", "updated_at"])
    return suggestion
