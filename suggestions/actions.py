"""What a caller may do now: one answer for the services, the pages and the API.

``require(actor, action, obj)`` raises the domain error that refuses ``action`` on
``obj`` (a suggestion, an assignment or an adjustment request) and returns quietly
when it is allowed. The services call it right after locking, before they read
their input. ``suggestion_actions``, ``assignment_actions`` and ``request_actions``
answer the set of actions that ``require`` would let through, by running the very
same checks, so a page offers exactly the buttons the services accept.

Each check decides from, in this order: the actor's role and ownership, the
workflow table (``workflow.ACTIONS``), whether the assignment is of the live round
(``Assignment.is_current``), and then what the action itself needs (acknowledged,
not replied, the reassignment window, the extension limit, no request pending).
Refusals: ``NotFound`` for what the actor may not see, ``NotPermitted`` for a role
that may never do this, ``InvalidTransition`` for a state, window or limit that
forbids it now. The values an action takes (a date, a unit, a text) are checked by
the service afterwards.

A check reads what it needs lazily (``_Facts``): the pages and the API pass what
they have already loaded (the rules, the reassignment window, prefetched requests,
co-signatures and replies), so that the set costs no query of its own where the
page has those; a service, holding fresh locked rows, lets the check query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.rules import has_role
from common import clock
from common.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    SessionSealed,
)
from congress.calendar import WorkingDays, working_days_span
from congress.models import ContactStage, HandlingRules, LeadReplyRule

from . import deadlines, rules, workflow
from .models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    ContactRecord,
    CoSignature,
    Decision,
    Ended,
    Outcome,
    Reply,
    Suggestion,
)

# The actions on a suggestion, spelled as the URL segments that do them ("edit" is
# the draft's own page on the web and PATCH in the API; "mark-key" is web only).
SUGGESTION_ACTIONS = frozenset(
    {
        "edit",
        "submit",
        "withdraw",
        "cosign",
        "register",
        "reject",
        "merge",
        "assign",
        "mark-key",
        "evaluate",
        "publish",
        "decline",
        "urge",
        "supervision-opinion",
        "leaders",
        "supervision",
    }
)
ASSIGNMENT_ACTIONS = frozenset(
    {
        "acknowledge",
        "request-reassignment",
        "request-extension",
        "contact",
        "plan",
        "progress",
        "reply",
        "fulfil",
    }
)
REQUEST_ACTIONS = frozenset({"approve", "deny"})


@dataclass(frozen=True)
class Confirmation:
    """What the page asks before a step that cannot be undone: the dialog's title,
    its message, and the label of the button that does it."""

    title: str
    message: str
    button: str


# Every step that cannot be undone, by action name: its buttons carry the question
# (``{% confirm "action" %}``), and a page asks it before sending the form.
CONFIRMATIONS: dict[str, Confirmation] = {
    "submit": Confirmation(
        _("Submit the suggestion?"),
        _(
            "Once submitted, the suggestion goes to the congress staff for review "
            "and can no longer be edited."
        ),
        _("Submit"),
    ),
    "enter-on-behalf": Confirmation(
        _("Enter the suggestion on behalf of the deputies?"),
        _(
            "It is submitted at once in the deputies' names and they are told; "
            "this cannot be undone. Check the lead deputy, the co-signers and the "
            "scan against the paper original."
        ),
        _("Enter on behalf"),
    ),
    "withdraw": Confirmation(
        _("Withdraw the suggestion?"),
        _("A withdrawn suggestion is no longer handled. This cannot be undone."),
        _("Withdraw"),
    ),
    "cosign": Confirmation(
        _("Co-sign the suggestion?"),
        _("You will be listed as a co-signer. This cannot be undone."),
        _("Co-sign"),
    ),
    "decline": Confirmation(
        _("Decline to co-sign?"),
        _(
            "The lead deputy will be told. Only a new invitation from them lets "
            "you co-sign afterwards."
        ),
        _("Decline"),
    ),
    "register": Confirmation(
        _("File the suggestion?"),
        _(
            "The suggestion gets its number and the deputy is told. This cannot "
            "be undone."
        ),
        _("File"),
    ),
    "reject": Confirmation(
        _("Do not accept the suggestion?"),
        _(
            "The deputy is told the reason and how it is dealt with. This cannot "
            "be undone."
        ),
        _("Do not accept"),
    ),
    "merge": Confirmation(
        _("Merge the suggestion?"),
        _(
            "It will be handled and answered together with the chosen suggestion. "
            "This cannot be undone."
        ),
        _("Merge"),
    ),
    "assign": Confirmation(
        _("Assign to the units?"),
        _(
            "The units are told at once and the handling deadline starts to run. "
            "This cannot be undone."
        ),
        _("Assign"),
    ),
    "bulk-register": Confirmation(
        _("File the chosen suggestions?"),
        _(
            "Each gets the next number of its session and its deputies are told. "
            "This cannot be undone."
        ),
        _("File"),
    ),
    "bulk-assign": Confirmation(
        _("Assign the chosen suggestions?"),
        _(
            "The lead unit is told at once and each handling deadline starts to "
            "run. This cannot be undone."
        ),
        _("Assign"),
    ),
    "reply": Confirmation(
        _("Send the reply?"),
        _(
            "Once sent, the reply cannot be changed or taken back; the deputy and "
            "the congress staff receive it."
        ),
        _("Send"),
    ),
    "evaluate": Confirmation(
        _("Submit your rating?"),
        _("Once submitted, the rating cannot be changed."),
        _("Submit the rating"),
    ),
    "enter-on-site-rating": Confirmation(
        _("Enter the deputy's ratings?"),
        _(
            "Check them against the signed evaluation form. The suggestion closes "
            "or goes back to the unit as the ratings say, and they cannot be "
            "changed afterwards."
        ),
        _("Enter the ratings"),
    ),
    "publish": Confirmation(
        _("Publish the reply?"),
        _("Anyone will be able to read the reply on the public pages."),
        _("Publish"),
    ),
    "approve": Confirmation(
        _("Approve the request?"),
        _(
            "The unit or the deadline changes as requested and the units are "
            "told. This cannot be undone."
        ),
        _("Approve"),
    ),
    "deny": Confirmation(
        _("Deny the request?"),
        _("The unit is told the reason. This cannot be undone."),
        _("Deny"),
    ),
    "urge": Confirmation(
        _("Send a reminder?"),
        _(
            "Each unit still handling the suggestion is urged to handle it; a "
            "unit can be urged once a day."
        ),
        _("Send the reminder"),
    ),
    "supervision": Confirmation(
        _("Record the supervision activity?"),
        _(
            "It goes on the timeline and into the annual review, and cannot be "
            "changed afterwards."
        ),
        _("Record"),
    ),
    "supervision-opinion": Confirmation(
        _("Send the supervision opinion?"),
        _(
            "It goes on the timeline and to the lead unit, and cannot be changed "
            "afterwards."
        ),
        _("Send"),
    ),
}

_UNKNOWN = object()


class _Facts:
    """What the checks of one actor on one object read, each loaded at most once and
    only when a check gets to it. Whatever the caller passes is taken as it is."""

    def __init__(
        self,
        actor,
        *,
        suggestion: Suggestion,
        assignment: Assignment | None = None,
        request: AdjustmentRequest | None = None,
        visible: bool | None = None,
        rules: HandlingRules | None = None,
        window: WorkingDays | None = None,
        today: date | None = None,
        invitation=_UNKNOWN,
        reply=_UNKNOWN,
        explain: bool = True,
    ):
        self.actor = actor
        # False while only the set of allowed actions is asked: a refusal's reason
        # is never shown, so a check may skip what it reads only to word it.
        self.explain = explain
        self.suggestion = suggestion
        self.assignment = assignment
        self.request = request
        # Whether the actor sees the suggestion; None: not known, asked if needed.
        self.visible = visible
        if rules is not None:
            self.rules = rules
        if window is not None:
            self.window = window
        if today is not None:
            self.today = today
        if invitation is not _UNKNOWN:
            self._invitation = invitation
        if reply is not _UNKNOWN:
            self.reply = reply

    @cached_property
    def today(self) -> date:
        return clock.today()

    @cached_property
    def rules(self) -> HandlingRules:
        return deadlines.rules_of(self.suggestion)

    @cached_property
    def window(self) -> WorkingDays:
        return deadlines.reassignment_window_end(
            self.rules, timezone.localdate(self.assignment.assigned_at)
        )

    @cached_property
    def extension_limit(self) -> date:
        # Counted from the suggestion's first assignment, as the service counts it.
        first = self.suggestion.assigned_at or self.assignment.assigned_at
        return deadlines.extension_limit(self.rules, timezone.localdate(first))

    @cached_property
    def pending_kinds(self) -> set[str]:
        """The kinds of the assignment's requests still awaiting a decision: from the
        prefetched requests where the page has them, else one query."""
        assignment = self.assignment
        cache = getattr(assignment, "_prefetched_objects_cache", {})
        if "adjustment_requests" in cache:
            return {
                r.kind
                for r in cache["adjustment_requests"]
                if r.decision == Decision.PENDING
            }
        return set(
            AdjustmentRequest.objects.filter(
                assignment=assignment, decision=Decision.PENDING
            ).values_list("kind", flat=True)
        )

    @cached_property
    def reply(self) -> Reply | None:
        return getattr(self.assignment, "reply", None)

    @cached_property
    def plan(self):
        """The assignment's 五定 plan: as joined with it where the caller did
        (``select_related("plan")``), else one query."""
        return getattr(self.assignment, "plan", None)

    def invitation(self, deputy_ids) -> CoSignature | None:
        """The invitation of one of the actor's deputy records ``deputy_ids``."""
        if hasattr(self, "_invitation"):
            return self._invitation
        suggestion = self.suggestion
        cache = getattr(suggestion, "_prefetched_objects_cache", {})
        if "cosignatures" in cache:
            found = [c for c in cache["cosignatures"] if c.deputy_id in deputy_ids]
            return found[0] if found else None
        return CoSignature.objects.filter(
            suggestion=suggestion, deputy_id__in=deputy_ids
        ).first()


# --- the parts the checks are made of ---------------------------------------------


def _lead_deputy(f: _Facts) -> None:
    rules.require_lead_deputy(f.actor, f.suggestion, visible=f.visible)


def _staff_on(f: _Facts) -> None:
    rules.require_staff_on(f.actor, f.suggestion)


def _unit_member(f: _Facts) -> None:
    rules.require_unit_member(f.actor, f.assignment)


def _current(f: _Facts) -> None:
    """The assignment must be of the round being handled: not reassigned, of the
    suggestion's current round (the workflow check before it has made sure the
    suggestion is being handled)."""
    if not f.assignment.is_current:
        raise InvalidTransition(_("This assignment is no longer current."))


def _unsealed(f: _Facts) -> None:
    """Nothing that changes a sealed session's figures: its suggestions are final
    until staff reopen the session."""
    session = f.suggestion.session
    if session.sealed_at is None:
        return
    if not f.explain:
        raise SessionSealed()
    raise SessionSealed(
        _(
            "The figures of this session were sealed on %(date)s and can no longer "
            "be changed; staff must reopen the session first."
        )
        % {"date": formats.date_format(timezone.localdate(session.sealed_at))}
    )


def _accepting(f: _Facts) -> None:
    """A draft is handed in only to a session open for intake."""
    if not f.suggestion.session.accepts_suggestions:
        raise InvalidTransition(
            _(
                "This session no longer accepts suggestions; move the draft to the "
                "session open for suggestions before submitting it."
            )
        )


def _not_replied(f: _Facts) -> None:
    if f.assignment.replied_at is not None:
        raise InvalidTransition(_("The assignment has already been replied to."))


def _no_pending(f: _Facts, kind: str) -> None:
    if kind in f.pending_kinds:
        raise InvalidTransition(_("A request of this kind is already pending."))


def _state(action: str) -> Callable[[_Facts], None]:
    def check(f: _Facts) -> None:
        workflow.check(f.suggestion, action)

    return check


def _all(*parts: Callable[[_Facts], None]) -> Callable[[_Facts], None]:
    def check(f: _Facts) -> None:
        for part in parts:
            part(f)

    return check


# --- suggestions ----------------------------------------------------------------------


def _cosign(f: _Facts) -> None:
    """Only an invited deputy, once, while the suggestion is not yet filed."""
    rules.require_deputy(f.actor)
    invitation = f.invitation(f.actor.deputy_ids)
    if invitation is None:
        visible = f.visible
        if visible is None:
            visible = rules.can_see(f.actor, f.suggestion)
        if not visible:
            raise NotFound()
        raise InvalidTransition(_("You have not been invited to co-sign this."))
    workflow.check(f.suggestion, "cosign")
    if invitation.is_signed:
        raise InvalidTransition(_("You have already co-signed this suggestion."))
    if invitation.is_declined:
        raise InvalidTransition(
            _(
                "You declined to co-sign this suggestion; only a new invitation from "
                "the lead deputy lets you co-sign it."
            )
        )


def _decline(f: _Facts) -> None:
    """Only an invited deputy who has neither signed nor declined, while the
    suggestion can still be co-signed."""
    rules.require_deputy(f.actor)
    invitation = f.invitation(f.actor.deputy_ids)
    if invitation is None:
        visible = f.visible
        if visible is None:
            visible = rules.can_see(f.actor, f.suggestion)
        if not visible:
            raise NotFound()
        raise InvalidTransition(_("You have not been invited to co-sign this."))
    workflow.check(f.suggestion, "decline")
    if invitation.is_signed:
        raise InvalidTransition(
            _("You have already co-signed this suggestion; it cannot be declined.")
        )
    if invitation.is_declined:
        raise InvalidTransition(_("You have already declined this invitation."))


def _supervisor(f: _Facts) -> None:
    """A leader or congress staff, on a key suggestion (重点督办) being handled;
    anyone else who may not see it finds nothing."""
    rules.require_supervisor_on(f.actor, f.suggestion)
    if not f.suggestion.key_supervised:
        raise InvalidTransition(
            _(
                "Only a suggestion under key supervision takes supervision opinions "
                "and reminders."
            )
        )


def _key(f: _Facts) -> None:
    """The leaders' part (领衔办理, 领衔督办) belongs to key suggestions alone."""
    if not f.suggestion.key_supervised:
        raise InvalidTransition(
            _(
                "Only a suggestion under key supervision has leading leaders and "
                "supervision activities."
            )
        )


def units_to_urge(suggestion, *, today: date) -> list[Assignment]:
    """The live assignments of the suggestion not yet urged on ``today``, lead
    first, with their units."""
    rows = (
        Assignment.objects.live()
        .filter(suggestion_id=suggestion.pk)
        .select_related("unit")
        .order_by("role", "pk")
    )
    return [
        a for a in rows if a.urged_at is None or timezone.localdate(a.urged_at) != today
    ]


def _someone_to_urge(f: _Facts) -> None:
    """A unit can be urged once a day: a reminder needs a unit not urged today."""
    if not units_to_urge(f.suggestion, today=f.today):
        raise InvalidTransition(
            _(
                "The units handling this suggestion have already been urged today; "
                "each unit can be urged once a day."
            )
        )


# --- assignments ----------------------------------------------------------------------


def _acknowledge(f: _Facts) -> None:
    if f.assignment.acknowledged_at is not None:
        raise InvalidTransition(_("The assignment has already been acknowledged."))


def _reassignment_window(f: _Facts) -> None:
    if "window" not in f.__dict__:
        # The window's last day lies between these bounds of calendar days after the
        # assignment; only in between must the working-day calendar be read.
        start = timezone.localdate(f.assignment.assigned_at)
        fewest, most = working_days_span(f.rules.reassignment_window_working_days)
        if f.today <= start + timedelta(days=fewest):
            return
        if f.today > start + timedelta(days=most) and not f.explain:
            raise InvalidTransition()
    window = f.window
    if f.today > window.date:
        raise InvalidTransition(
            _("Reassignment could be asked until %(date)s.")
            % {"date": formats.date_format(window.date)}
        )


def _lead_unit(f: _Facts) -> None:
    if not f.assignment.is_lead:
        raise InvalidTransition(_("Only the lead unit may ask for an extension."))


def _below_extension_limit(f: _Facts) -> None:
    """A deadline already at the latest date the rules allow cannot move further."""
    limit = f.extension_limit
    if f.assignment.due_at >= limit:
        raise InvalidTransition(
            _("The deadline can be extended to %(date)s at the latest.")
            % {"date": formats.date_format(limit)}
        )


def _reply_state(f: _Facts) -> None:
    # The lead unit's reply and a co-unit's opinion are two actions of the workflow.
    assignment = f.assignment
    if not assignment.is_lead and assignment.active and assignment.replied_at is None:
        # The lead unit replied (and a new round may have begun) or the suggestion
        # closed: the opinion would reach nobody.
        reason = assignment.ended_reason
        if reason == Ended.CLOSED:
            raise InvalidTransition(
                _(
                    "The suggestion has been closed: the co-unit's opinion is no "
                    "longer taken."
                )
            )
        if reason == Ended.ROUND_ENDED:
            raise InvalidTransition(
                _(
                    "This round of handling has ended with the lead unit's reply: "
                    "the co-unit's opinion is no longer taken."
                )
            )
    workflow.check(f.suggestion, "reply" if assignment.is_lead else "opinion")


def _acknowledged(f: _Facts) -> None:
    if f.assignment.acknowledged_at is None:
        raise InvalidTransition(_("Acknowledge the assignment before replying."))


def _plan_lead(f: _Facts) -> None:
    """The 五定 plan is the lead unit's: a co-unit gives an opinion, never a plan."""
    if not f.assignment.is_lead:
        raise NotPermitted(
            _("Only the lead unit files a handling plan and reports its progress.")
        )


def _acknowledged_for_plan(f: _Facts) -> None:
    if f.assignment.acknowledged_at is None:
        raise InvalidTransition(
            _("Acknowledge the assignment before filing its handling plan.")
        )


def _has_plan(f: _Facts) -> None:
    if f.plan is None:
        raise InvalidTransition(
            _("File the handling plan before reporting progress against it.")
        )


def co_units_without_opinion(lead: Assignment) -> list[Assignment]:
    """The co-units of a lead assignment's round that have not given their opinion
    while the round still runs (live), by opinion deadline, with their units; none
    for a co-unit's own assignment."""
    if not lead.is_lead or not lead.is_current:
        return []
    return list(
        Assignment.objects.live()
        .filter(
            suggestion_id=lead.suggestion_id,
            round=lead.round,
            role=AssignmentRole.CO,
        )
        .select_related("unit")
        .order_by("due_at", "pk")
    )


def awaited_co_units(lead: Assignment, *, today: date | None = None) -> list:
    """The co-units the lead unit must wait for before replying without a note: no
    opinion given and the opinion deadline not yet passed (the deadline day itself
    still counts)."""
    return still_awaited(co_units_without_opinion(lead), today or clock.today())


def still_awaited(rows, today: date) -> list:
    """Of the co-units without an opinion, those whose opinion deadline has not
    passed."""
    return [a for a in rows if a.due_at >= today]


def describe_co_units(rows) -> str:
    """The co-units named for the lead unit: acknowledged or not, opinion deadline."""
    parts = []
    for a in rows:
        if a.acknowledged_at is not None:
            text = _("%(unit)s (acknowledged, opinion due %(date)s)")
        else:
            text = _("%(unit)s (not acknowledged, opinion due %(date)s)")
        parts.append(
            text % {"unit": a.unit.name, "date": formats.date_format(a.due_at)}
        )
    return pgettext("list separator", ", ").join(parts)


def _co_opinions_in(f: _Facts) -> None:
    """Under the rule ``wait`` the lead unit replies only once every co-unit of the
    round has given its opinion or reached its opinion deadline. (Under ``note`` the
    service asks for the note that says why it replies earlier.)"""
    if not f.assignment.is_lead:
        return
    if f.rules.lead_reply_before_co_opinions != LeadReplyRule.WAIT:
        return
    awaited = awaited_co_units(f.assignment, today=f.today)
    if awaited:
        raise InvalidTransition(
            _(
                "The lead unit may reply once every co-unit has given its opinion "
                "or reached its opinion deadline. Still awaited: %(units)s."
            )
            % {"units": describe_co_units(awaited)}
        )


def missing_contact_stages(
    assignment: Assignment, *, rules: HandlingRules | None = None
) -> list[str]:
    """The contact stages (三见面) the congress's rules require before the lead
    unit's reply that the assignment has no contact record of, in their order
    (before, during, before replying); none for a co-unit, whose opinion needs no
    meeting. Reads the prefetched contacts where the caller has them."""
    if not assignment.is_lead:
        return []
    if rules is None:
        rules = deadlines.rules_of(assignment.suggestion)
    required = rules.required_stages
    if not required:
        return []
    cache = getattr(assignment, "_prefetched_objects_cache", {})
    if "contacts" in cache:
        held = {c.stage for c in cache["contacts"]}
    else:
        held = set(
            ContactRecord.objects.filter(assignment_id=assignment.pk)
            .values_list("stage", flat=True)
            .distinct()
        )
    return [stage for stage in required if stage not in held]


def describe_missing_stages(stages) -> str:
    """The refusal, and the reply page's notice, naming the missing meetings:
    答复前须与代表见面：尚缺「答复前」沟通记录。"""
    names = pgettext("list separator", ", ").join(
        pgettext("quoted stage", "“%(stage)s”") % {"stage": ContactStage(s).label}
        for s in stages
    )
    return _(
        "The unit must meet the deputy before replying: no contact recorded yet "
        "for %(stages)s."
    ) % {"stages": names}


def _meetings_held(f: _Facts) -> None:
    """The lead unit replies once it has met the deputy at every stage the rules
    require (三见面; by default before replying)."""
    missing = missing_contact_stages(f.assignment, rules=f.rules)
    if missing:
        raise InvalidTransition(describe_missing_stages(missing))


def _promise(f: _Facts) -> None:
    reply = f.reply
    if reply is None:
        raise InvalidTransition(_("This assignment has no reply yet."))
    if reply.outcome != Outcome.IN_PROGRESS or not reply.is_lead:
        raise InvalidTransition(
            _("Only a lead reply classed in progress is a promise.")
        )
    if reply.fulfilled_at is not None:
        raise InvalidTransition(_("The promise has already been reported kept."))


# --- adjustment requests --------------------------------------------------------------


def _staff(f: _Facts) -> None:
    rules.require_staff_on(f.actor, f.suggestion)


# May the reply be rated now: the same for the deputy's own rating online and for
# the one staff enter from an evaluation meeting (``require_on_site_rating``).
_rateable = _all(_unsealed, _state("evaluate"))


def require_on_site_rating(actor, suggestion: Suggestion, *, meeting, deputy_id):
    """Refuse an on-site rating (现场测评) that ``actor`` would enter at ``meeting``
    for ``deputy_id`` on ``suggestion`` now; return quietly if it may be entered.
    Only the staff of the suggestion's body enter it; only for a suggestion of the
    meeting's session, rated by its lead deputy (who rates online too), present at
    the meeting; only when the reply may be rated now (the same check as the
    deputy's own rating)."""
    facts = _Facts(actor, suggestion=suggestion)
    _staff_on(facts)
    if suggestion.session_id != meeting.session_id:
        raise InvalidInput(
            _("This suggestion is not of the meeting's session."), field="suggestion"
        )
    if deputy_id != suggestion.lead_deputy_id:
        raise InvalidInput(
            _("Only the suggestion's lead deputy rates it."), field="deputy"
        )
    if not meeting.deputies.filter(pk=deputy_id).exists():
        raise InvalidInput(
            _("This deputy was not present at the evaluation meeting."),
            field="deputy",
        )
    _rateable(facts)


def _undecided(f: _Facts) -> None:
    if f.request.decision != Decision.PENDING:
        raise InvalidTransition(_("The request has already been decided."))


_CHECKS: dict[str, Callable[[_Facts], None]] = {
    # Every action but publication passes ``_unsealed`` right after the role: a
    # sealed session's figures stay as reviewed. Publishing or unpublishing a reply
    # changes no counted figure (who may read it, not what was done), so staff may
    # still publish the reviewed replies of a sealed session. Editing a draft is
    # left open too: a draft counts nowhere, and editing is how its deputy moves it
    # to the session open for intake (submitting needs that session).
    # suggestions
    "edit": _all(_lead_deputy, _state("edit")),
    "submit": _all(_lead_deputy, _unsealed, _state("submit"), _accepting),
    "withdraw": _all(_lead_deputy, _unsealed, _state("withdraw")),
    "cosign": _all(_cosign, _unsealed),
    "register": _all(_staff_on, _unsealed, _state("register")),
    "reject": _all(_staff_on, _unsealed, _state("reject")),
    "merge": _all(_staff_on, _unsealed, _state("merge")),
    "assign": _all(_staff_on, _unsealed, _state("assign")),
    "mark-key": _all(_staff_on, _unsealed, _state("mark-key")),
    "evaluate": _all(_lead_deputy, _rateable),
    "publish": _all(_staff_on, _state("publish")),
    "decline": _all(_decline, _unsealed),
    "urge": _all(_supervisor, _unsealed, _state("urge"), _someone_to_urge),
    "supervision-opinion": _all(_supervisor, _unsealed, _state("supervision-opinion")),
    # The leaders of a key suggestion are set by its staff; its supervision
    # activities recorded by its body's leaders and staff.
    "leaders": _all(_staff_on, _unsealed, _state("leaders"), _key),
    "supervision": _all(
        lambda f: rules.require_supervisor_on(f.actor, f.suggestion),
        _unsealed,
        _state("supervision"),
        _key,
    ),
    # assignments
    "acknowledge": _all(
        _unit_member, _unsealed, _state("acknowledge"), _current, _acknowledge
    ),
    "request-reassignment": _all(
        _unit_member,
        _unsealed,
        _state("request-reassignment"),
        _current,
        _not_replied,
        _reassignment_window,
        lambda f: _no_pending(f, AdjustmentKind.REASSIGNMENT),
    ),
    "request-extension": _all(
        _unit_member,
        _unsealed,
        _state("request-extension"),
        _current,
        _lead_unit,
        _not_replied,
        _below_extension_limit,
        lambda f: _no_pending(f, AdjustmentKind.EXTENSION),
    ),
    "contact": _all(_unit_member, _unsealed, _state("contact"), _current),
    # The 五定 plan: filed (and revised) by the lead unit while it handles the
    # assignment, once acknowledged; progress reported against a filed plan.
    "plan": _all(
        _unit_member,
        _unsealed,
        _plan_lead,
        _state("plan"),
        _current,
        _not_replied,
        _acknowledged_for_plan,
    ),
    "progress": _all(
        _unit_member,
        _unsealed,
        _plan_lead,
        _state("progress"),
        _current,
        _not_replied,
        _has_plan,
    ),
    "reply": _all(
        _unit_member,
        _unsealed,
        _reply_state,
        _current,
        _not_replied,
        _acknowledged,
        _co_opinions_in,
        _meetings_held,
    ),
    "fulfil": _all(_unit_member, _unsealed, _state("fulfil"), _promise),
    # adjustment requests
    "approve": _all(
        _staff, _unsealed, _state("approve"), _undecided, _current, _not_replied
    ),
    "deny": _all(_staff, _unsealed, _state("deny"), _undecided),
}
if set(_CHECKS) != SUGGESTION_ACTIONS | ASSIGNMENT_ACTIONS | REQUEST_ACTIONS:
    raise ImportError("every action needs exactly one check")
# "bulk-register" asks before the same step done to several suggestions at once;
# "enter-on-behalf" before a suggestion is made (the service checks the actor).
_CREATING = {"enter-on-behalf", "enter-on-site-rating"}
if not {name.removeprefix("bulk-") for name in CONFIRMATIONS} <= set(_CHECKS) | (
    _CREATING
):
    raise ImportError("a confirmation names an action that does not exist")


def _facts(actor, action: str, obj, **known) -> _Facts:
    if action in SUGGESTION_ACTIONS and isinstance(obj, Suggestion):
        return _Facts(actor, suggestion=obj, **known)
    if action in ASSIGNMENT_ACTIONS and isinstance(obj, Assignment):
        return _Facts(actor, suggestion=obj.suggestion, assignment=obj, **known)
    if action in REQUEST_ACTIONS and isinstance(obj, AdjustmentRequest):
        assignment = obj.assignment
        return _Facts(
            actor,
            suggestion=assignment.suggestion,
            assignment=assignment,
            request=obj,
            **known,
        )
    raise TypeError(f"{action!r} is not an action on {type(obj).__name__}")


def require(actor, action: str, obj, **known) -> None:
    """Raise the domain error that refuses ``action`` by ``actor`` on ``obj`` now;
    return if it is allowed. ``known`` passes what the caller already holds (a
    locked ``invitation`` or ``reply``, the ``rules``, ``visible``)."""
    _CHECKS[action](_facts(actor, action, obj, **known))


def _allowed(actor, names, obj, **known) -> frozenset[str]:
    facts = None
    allowed = set()
    for action in names:
        if facts is None:
            facts = _facts(actor, action, obj, explain=False, **known)
        try:
            _CHECKS[action](facts)
        except DomainError:
            continue
        allowed.add(action)
    return frozenset(allowed)


def suggestion_actions(actor, suggestion: Suggestion) -> frozenset[str]:
    """The actions ``actor`` may take on ``suggestion`` now (``SUGGESTION_ACTIONS``).
    The caller has loaded the suggestion from what the actor may see; co-signatures
    prefetched spare a query."""
    if not has_role(actor, "is_authenticated"):
        return frozenset()
    return _allowed(actor, SUGGESTION_ACTIONS, suggestion, visible=True)


def suggestion_actions_of(
    actor, suggestion: Suggestion, names, **known
) -> frozenset[str]:
    """Of ``names`` (actions on a suggestion), those ``actor`` may take now: for a
    list that offers a few actions per row (``known`` as for ``require``)."""
    if not has_role(actor, "is_authenticated"):
        return frozenset()
    return _allowed(actor, names, suggestion, visible=True, **known)


def assignment_actions(
    actor,
    assignment: Assignment,
    *,
    rules: HandlingRules | None = None,
    window: WorkingDays | None = None,
    today: date | None = None,
) -> frozenset[str]:
    """The actions ``actor`` may take on ``assignment`` now (``ASSIGNMENT_ACTIONS``).
    Its suggestion, reply and requests loaded with it spare queries; the rules and
    the reassignment window are read only for a member with the work still open,
    unless passed."""
    if not has_role(actor, "is_authenticated"):
        return frozenset()
    known = {"rules": rules, "window": window, "today": today}
    return _allowed(actor, ASSIGNMENT_ACTIONS, assignment, **known)


def request_actions(actor, request: AdjustmentRequest) -> frozenset[str]:
    """The decisions ``actor`` may take on ``request`` now (``REQUEST_ACTIONS``)."""
    if not has_role(actor, "is_authenticated"):
        return frozenset()
    return _allowed(actor, REQUEST_ACTIONS, request)
