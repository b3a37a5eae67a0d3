"""The one table of what each action may do to a suggestion, and the guarded move.

No code outside ``move`` assigns ``Suggestion.status``. Actions that do not change the
status (acknowledge, contact …) still pass through ``move`` so that the allowed states
and the timeline entry live in one place.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common import clock
from common.errors import InvalidTransition

from .models import Event, Status, Suggestion
from .signals import suggestion_moved

S = Status
OPEN = frozenset({S.ASSIGNED, S.REHANDLING})


@dataclass(frozen=True)
class Action:
    allowed_from: frozenset[str]
    # Statuses the action may lead to; empty: the status stays as it is.
    targets: frozenset[str] = frozenset()


ACTIONS: dict[str, Action] = {
    "create": Action(frozenset({S.DRAFT})),
    "edit": Action(frozenset({S.DRAFT})),
    "submit": Action(frozenset({S.DRAFT}), frozenset({S.SUBMITTED})),
    # Entry on behalf (代录): staff enter a suggestion handed in on paper; the new
    # row is handed in at once, as its deputy's submit would.
    "enter-on-behalf": Action(frozenset({S.DRAFT}), frozenset({S.SUBMITTED})),
    "withdraw": Action(frozenset({S.DRAFT, S.SUBMITTED}), frozenset({S.WITHDRAWN})),
    "cosign": Action(frozenset({S.DRAFT, S.SUBMITTED})),
    # An invited deputy may decline while the invitation could still be accepted.
    "decline": Action(frozenset({S.DRAFT, S.SUBMITTED})),
    "register": Action(frozenset({S.SUBMITTED}), frozenset({S.REGISTERED})),
    "reject": Action(frozenset({S.SUBMITTED}), frozenset({S.REJECTED})),
    "merge": Action(frozenset({S.SUBMITTED, S.REGISTERED}), frozenset({S.MERGED})),
    # A suggestion merged into one that is itself merged away follows it, so that
    # ``merged_into`` always names a suggestion that will be answered.
    "merge-along": Action(frozenset({S.MERGED})),
    # The suggestion that others join keeps its status; it must be alive.
    "absorb": Action(
        frozenset({S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.REPLIED, S.REHANDLING})
    ),
    "assign": Action(frozenset({S.REGISTERED}), frozenset({S.ASSIGNED})),
    "mark-key": Action(
        frozenset({S.REGISTERED, S.ASSIGNED, S.REPLIED, S.REHANDLING, S.CLOSED})
    ),
    "acknowledge": Action(OPEN),
    "request-reassignment": Action(OPEN),
    "request-extension": Action(OPEN),
    "approve": Action(OPEN),
    # A request still pending when the round ended (the unit replied meanwhile) must
    # remain decidable, or it would stay pending for ever.
    "deny": Action(OPEN | {S.REPLIED, S.CLOSED}),
    "contact": Action(OPEN),
    # The lead unit's 五定 plan, its revisions and its progress reports.
    "plan": Action(OPEN),
    "revise-plan": Action(OPEN),
    "progress": Action(OPEN),
    "opinion": Action(OPEN),
    "reply": Action(OPEN, frozenset({S.REPLIED})),
    "evaluate": Action(frozenset({S.REPLIED}), frozenset({S.CLOSED, S.REHANDLING})),
    "publish": Action(frozenset({S.REPLIED, S.CLOSED})),
    "fulfil": Action(frozenset({S.REPLIED, S.REHANDLING, S.CLOSED})),
    # A promise of a class-B reply is reported on when due, in whatever state the
    # suggestion is by then (the ledger, docs/domain.md).
    "promise-report": Action(frozenset({S.REPLIED, S.REHANDLING, S.CLOSED})),
    # Leaders' supervision of a key suggestion while a unit is handling it.
    "urge": Action(OPEN),
    "supervision-opinion": Action(OPEN),
    # The leaders' part in a key suggestion (领衔办理, 领衔督办): its leaders named
    # once it is filed, supervision activities from assignment on (a visit may
    # follow the reply, to see the promise kept).
    "leaders": Action(
        frozenset({S.REGISTERED, S.ASSIGNED, S.REPLIED, S.REHANDLING, S.CLOSED})
    ),
    "supervision": Action(frozenset({S.ASSIGNED, S.REPLIED, S.REHANDLING, S.CLOSED})),
}

_STATE_MESSAGES = {
    S.DRAFT: _("it is still a draft"),
    S.SUBMITTED: _("it has been submitted and awaits review"),
    S.REGISTERED: _("it has been filed and awaits assignment"),
    S.ASSIGNED: _("it is being handled"),
    S.REPLIED: _("it has been replied to"),
    S.REHANDLING: _("it is being handled again"),
    S.CLOSED: _("it is closed"),
    S.WITHDRAWN: _("it was withdrawn"),
    S.REJECTED: _("it was not accepted"),
    S.MERGED: _("it was merged into another suggestion"),
}


# What each action is called in a sentence ("cannot <name> this suggestion"): every
# action of the table above, of ``suggestions.actions`` and of the pages and API that
# refuse one. The internal key never reaches a reader.
ACTION_NAMES = {
    "create": pgettext_lazy("action", "create"),
    "edit": pgettext_lazy("action", "edit"),
    "submit": pgettext_lazy("action", "submit"),
    "enter-on-behalf": pgettext_lazy("action", "enter on behalf"),
    "withdraw": pgettext_lazy("action", "withdraw"),
    "cosign": pgettext_lazy("action", "co-sign"),
    "decline": pgettext_lazy("action", "decline to co-sign"),
    "register": pgettext_lazy("action", "file"),
    "reject": pgettext_lazy("action", "decline to file"),
    "merge": pgettext_lazy("action", "merge"),
    "merge-along": pgettext_lazy("action", "merge along"),
    "absorb": pgettext_lazy("action", "merge another suggestion into"),
    "assign": pgettext_lazy("action", "assign"),
    "mark-key": pgettext_lazy("action", "mark for key supervision"),
    "acknowledge": pgettext_lazy("action", "acknowledge"),
    "request-reassignment": pgettext_lazy("action", "request reassignment of"),
    "request-extension": pgettext_lazy("action", "request an extension for"),
    "approve": pgettext_lazy("action", "approve a request on"),
    "deny": pgettext_lazy("action", "deny a request on"),
    "contact": pgettext_lazy("action", "record contact on"),
    "plan": pgettext_lazy("action", "file the handling plan of"),
    "revise-plan": pgettext_lazy("action", "revise the handling plan of"),
    "progress": pgettext_lazy("action", "report progress on"),
    "opinion": pgettext_lazy("action", "send a co-unit opinion on"),
    "reply": pgettext_lazy("action", "reply to"),
    "evaluate": pgettext_lazy("action", "rate"),
    "publish": pgettext_lazy("action", "publish"),
    "fulfil": pgettext_lazy("action", "report the promise kept on"),
    "promise-report": pgettext_lazy("action", "report on a promise of"),
    "urge": pgettext_lazy("action", "urge"),
    "supervision-opinion": pgettext_lazy("action", "give a supervision opinion on"),
    "leaders": pgettext_lazy("action", "set the leaders of"),
    "supervision": pgettext_lazy("action", "record a supervision activity on"),
}


def action_name(action: str) -> str:
    """The action's name for a reader; an action missing from ``ACTION_NAMES`` is a
    programming error caught by the tests, and reads as a neutral phrase meanwhile."""
    name = ACTION_NAMES.get(action)
    return str(name) if name is not None else str(pgettext_lazy("action", "act on"))


def check(suggestion: Suggestion, action: str) -> None:
    """Raise ``InvalidTransition`` unless ``action`` is allowed in the current status."""
    if suggestion.status not in ACTIONS[action].allowed_from:
        raise InvalidTransition(
            _("Cannot %(action)s this suggestion: %(state)s.")
            % {
                "action": action_name(action),
                "state": _STATE_MESSAGES.get(suggestion.status, suggestion.status),
            }
        )


def move(
    suggestion: Suggestion,
    action: str,
    *,
    actor,
    to: str | None = None,
    note: str = "",
    data: dict | None = None,
    at=None,
) -> Event:
    """Check the action against the table, set the new status (if any) and append the
    timeline entry. The caller holds the row lock and saves the suggestion."""
    check(suggestion, action)
    spec = ACTIONS[action]
    if to is None and len(spec.targets) == 1:
        (to,) = spec.targets
    if to is None and spec.targets:
        # An action that changes the status must never be logged as one that did not.
        raise ValueError(f"{action!r} needs one of {sorted(spec.targets)}")
    if to is not None and to not in spec.targets:
        raise ValueError(f"{action!r} cannot lead to {to!r}")
    from_status = suggestion.status
    if to is not None:
        suggestion.status = to
    event = Event.objects.create(
        suggestion=suggestion,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=suggestion.status,
        note=note,
        data=data or {},
        created_at=at or clock.now(),
    )
    # The listeners act inside this transaction: the dashboard marks the session's
    # figures stale (the suggestion row is locked first, the statistics row after).
    suggestion_moved.send(sender=Suggestion, suggestion=suggestion, event=event)
    return event


ACTION_LABELS = {
    "create": _("Draft created"),
    "edit": _("Draft edited"),
    "submit": _("Submitted"),
    "enter-on-behalf": _("Entered on behalf"),
    "withdraw": _("Withdrawn"),
    "cosign": _("Co-signed"),
    "register": _("Filed"),
    "reject": _("Not accepted"),
    "merge": _("Merged into another suggestion"),
    "merge-along": _("Merged along with the suggestion it had joined"),
    "absorb": _("Another suggestion merged into this one"),
    "assign": _("Assigned"),
    "mark-key": _("Key supervision changed"),
    "acknowledge": _("Acknowledged by the unit"),
    "request-reassignment": _("Reassignment requested"),
    "request-extension": _("Extension requested"),
    "approve": _("Request approved"),
    "deny": _("Request denied"),
    "contact": _("Contact with the deputy recorded"),
    "plan": _("Handling plan filed"),
    "revise-plan": _("Handling plan revised"),
    "progress": _("Progress reported"),
    "opinion": _("Co-unit opinion sent"),
    "reply": _("Replied"),
    "evaluate": _("Rated"),
    "publish": _("Publication changed"),
    "fulfil": _("Promise reported kept"),
    "promise-report": _("Report on a promise"),
    "decline": _("Co-signing declined"),
    "urge": _("Reminder sent to the units"),
    "supervision-opinion": _("Supervision opinion given"),
    "leaders": _("Leading leaders set"),
    "supervision": _("Supervision activity recorded"),
    # A suggestion of the past brought in from a workbook (imports/).
    "import": _("Imported from a workbook"),
}


def action_label(action: str) -> str:
    """The timeline's name for an action ("已提交"); an unknown key reads as itself."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def event_label(event: Event) -> str:
    """The timeline's name for one entry: its action's (``action_label``), but a
    rating entered on site (现场测评) says so and whose signed form it was; the
    entry's actor is the staff member who entered it."""
    data = event.data or {}
    if event.action == "evaluate" and data.get("channel") == "on_site":
        return str(
            _("Rated on site: the signed evaluation form of %(deputy)s entered")
            % {"deputy": data.get("deputy", "")}
        )
    return action_label(event.action)


# The actions whose timeline name already says the status they lead to ("已提交"
# moves to 已提交): their entries show no status badge beside it.
NAMES_ITS_STATUS = {
    "submit": Status.SUBMITTED,
    "withdraw": Status.WITHDRAWN,
    "register": Status.REGISTERED,
    "reject": Status.REJECTED,
    "merge": Status.MERGED,
    "merge-along": Status.MERGED,
    "assign": Status.ASSIGNED,
    "reply": Status.REPLIED,
}


def timeline_shows_status(action: str, from_status: str, to_status: str) -> bool:
    """Whether a timeline entry names the new status beside its action: only when the
    status changed and the action's name does not already say it, so that an entry
    reads "已提交" once, never "已提交 已提交", while "已评价" still shows "已办结".
    The same in every language."""
    if from_status == to_status:
        return False
    return NAMES_ITS_STATUS.get(action) != to_status
