"""The promise ledger (承诺事项): a class-B reply (正在解决或列入规划逐步解决) states its
promises, each with a due date; the lead unit reports on each when due; staff
correct a report (docs/domain.md, "The promise ledger").

The rules, one function each: ``promises_allowed`` (only a lead reply classed B
carries promises), ``check_due_on`` (a promise is not due before its reply),
``rules.require_promise_reporter`` (only the lead unit reports) and
``rules.require_promise_corrector`` (a report once made, only staff correct).
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput, NotFound

from .. import rules, workflow
from ..models import REPORTED_STATES, Outcome, Promise, PromiseState, Reply, Suggestion
from ._shared import _text

PROMISE_TEXT_MAX = 2_000
# A reply states a handful of promises, never a plan of hundreds.
PROMISES_MAX = 20


def promises_allowed(*, outcome: str, is_lead: bool) -> bool:
    """Whether a reply carries promises: only the lead unit's reply classed B
    (``Outcome.IN_PROGRESS``). A class-A reply has solved the matter; C and D
    promise nothing; a co-unit's opinion is no reply to the deputy."""
    return is_lead and outcome == Outcome.IN_PROGRESS


def check_due_on(due_on, *, replied_on: dt.date, field: str = "due_on") -> dt.date:
    """A promise's due date: a date, and not before the day of its reply (a promise
    cannot have fallen due before it was made)."""
    if isinstance(due_on, str):
        try:
            due_on = dt.date.fromisoformat(due_on)
        except ValueError:
            due_on = None
    if isinstance(due_on, dt.datetime) or not isinstance(due_on, dt.date):
        raise InvalidInput(_("Enter a valid date."), field=field)
    if due_on < replied_on:
        raise InvalidInput(
            _("A promise cannot fall due before its reply (%(date)s).")
            % {"date": formats.date_format(replied_on)},
            field=field,
        )
    return due_on


def read_promises(
    items: Iterable[Mapping] | None, *, outcome: str, is_lead: bool, replied_on
) -> list[tuple[str, dt.date]]:
    """The promises a reply states, checked: (text, due date) each. Refused on a
    reply that carries none (``promises_allowed``)."""
    items = list(items or ())
    if not items:
        return []
    if not promises_allowed(outcome=outcome, is_lead=is_lead):
        raise InvalidInput(
            _(
                "Only the lead unit's reply classed B (being resolved or planned) "
                "states promises."
            ),
            field="promises",
        )
    if len(items) > PROMISES_MAX:
        raise InvalidInput(
            _("At most %(n)d promises.") % {"n": PROMISES_MAX}, field="promises"
        )
    read = []
    for item in items:
        if not isinstance(item, Mapping):
            raise InvalidInput(
                _("Enter each promise with its text and date."), field="promises"
            )
        text = _text(item.get("text"), "promises", max_length=PROMISE_TEXT_MAX)
        due_on = check_due_on(
            item.get("due_on"), replied_on=replied_on, field="promises"
        )
        read.append((text, due_on))
    return read


def promises_create(reply: Reply, promises: list[tuple[str, dt.date]]) -> list[Promise]:
    """The reply's promises saved (the reply service calls it inside its
    transaction, after ``read_promises``)."""
    return Promise.objects.bulk_create(
        [Promise(reply=reply, text=text, due_on=due_on) for text, due_on in promises]
    )


def _lock_promise(promise_id) -> tuple[Suggestion, Promise]:
    """The promise's suggestion locked, then the promise (the fixed lock order)."""
    try:
        suggestion_id = (
            Promise.objects.filter(pk=promise_id)
            .values_list("reply__assignment__suggestion_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        raise NotFound() from None
    if suggestion_id is None:
        raise NotFound()
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    promise = (
        Promise.objects.select_for_update(of=("self",))
        .select_related("reply__assignment")
        .get(pk=promise_id)
    )
    promise.reply.assignment.suggestion = suggestion
    return suggestion, promise


def _reported_on(value, promise: Promise) -> dt.date:
    """The day the report speaks of: today unless given; not before the reply, not
    in the future."""
    today = clock.today()
    if value in (None, ""):
        return today
    replied_on = timezone.localdate(promise.reply.sent_at)
    day = check_due_on(value, replied_on=replied_on, field="reported_on")
    if day > today:
        raise InvalidInput(_("The date cannot be in the future."), field="reported_on")
    return day


def promise_report_kind(actor, promise: Promise) -> str | None:
    """What ``actor`` may do to the promise's report now: ``"report"`` (the lead
    unit, not yet reported), ``"correct"`` (staff, once reported) or None. The
    pages offer this; ``promise_report`` enforces the same rules
    (``rules.require_promise_*``, which ask the same ``rules.may_*``). No query
    for a promise loaded with its assignment and suggestion."""
    if promise.is_reported:
        return "correct" if rules.may_correct_promise(actor, promise) else None
    return "report" if rules.may_report_promise(actor, promise) else None


@transaction.atomic
def promise_report(
    *,
    promise_id: int,
    actor,
    state: str,
    note: str,
    reported_on: dt.date | str | None = None,
) -> Promise:
    """The lead unit's report on one promise (kept, partly kept, not kept, with a
    note and the date it speaks of); the same call by staff on a promise already
    reported corrects the report. A report on a sealed session's promise is taken:
    promises run into the following year by nature, and the report changes none of
    the sealed session's figures."""
    suggestion, promise = _lock_promise(promise_id)
    if promise.is_reported:
        rules.require_promise_corrector(actor, promise)
    else:
        rules.require_promise_reporter(actor, promise)
    if state not in REPORTED_STATES:
        raise InvalidInput(
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(str(s) for s in REPORTED_STATES)},
            field="kept",
        )
    correcting = promise.is_reported
    promise.report_note = _text(note, "note", max_length=5_000)
    promise.reported_on = _reported_on(reported_on, promise)
    promise.state = state
    fields = ["state", "report_note", "reported_on"]
    if correcting:
        promise.corrected_by = actor
        fields.append("corrected_by")
    else:
        promise.reported_by = actor
        fields.append("reported_by")
    promise.save(update_fields=fields)
    workflow.move(
        suggestion,
        "promise-report",
        actor=actor,
        note=promise.report_note,
        data={
            "promise": promise.pk,
            "state": state,
            "reported_on": promise.reported_on.isoformat(),
            "corrected": correcting,
        },
    )
    return promise


__all__ = [
    "PromiseState",
    "check_due_on",
    "promise_report",
    "promise_report_kind",
    "promises_allowed",
    "promises_create",
    "read_promises",
]
