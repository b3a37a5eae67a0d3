"""Time limits, each taken from the congress's ``HandlingRules`` (docs/deadlines.md).

Calendar months for reply deadlines (Law on Deputies, art. 51: three months, six for
wide-ranging and difficult matters); working days on the Chinese calendar for the
reassignment and rating windows (the local handling regulations).
"""

from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from common import clock
from congress.calendar import (
    WorkingDayCalendar,
    WorkingDays,
    add_months,
    add_working_days,
    working_days_span,
)
from congress.models import Congress, HandlingRules, Session

from .models import Complexity


def rules_for(congress: Congress | int) -> HandlingRules:
    """The congress's rules; a congress whose staff have not set any gets the
    defaults, unsaved (reading the rules never writes; the admin saves them)."""
    congress_id = congress if isinstance(congress, int) else congress.pk
    rules = HandlingRules.objects.filter(congress_id=congress_id).first()
    return rules or HandlingRules(congress_id=congress_id)


def rules_of(suggestion) -> HandlingRules:
    """The rules of the suggestion's congress: as loaded with it where the caller
    joined them (``select_related(RULES_PATH)`` from the suggestion), else read."""
    session = suggestion.session
    if Session.congress.is_cached(session):
        return rules_of_congress(session.congress)
    return rules_for(session.congress_id)


def rules_of_congress(congress: Congress) -> HandlingRules:
    """The congress's rules: as loaded with it (``select_related("rules")``), else
    read."""
    if Congress.rules.is_cached(congress):
        # None when the congress has no rules of its own: the defaults.
        found = getattr(congress, "rules", None)
        return found or HandlingRules(congress_id=congress.pk)
    return rules_for(congress.pk)


# The relation to join from a suggestion so that ``rules_of`` reads no more.
RULES_PATH = "session__congress__rules"


def reply_due(rules: HandlingRules, assigned_on: date, complexity: str) -> date:
    months = (
        rules.complex_reply_months
        if complexity == Complexity.COMPLEX
        else rules.reply_months
    )
    return add_months(assigned_on, months)


def co_unit_due(rules: HandlingRules, assigned_on: date, lead_due: date) -> date:
    """A co-unit's opinion is due a set time after assignment, never after the lead's
    reply is."""
    return min(add_months(assigned_on, rules.co_unit_opinion_months), lead_due)


def rehandling_due(rules: HandlingRules, started_on: date) -> date:
    return add_months(started_on, rules.rehandling_reply_months)


def extension_limit(rules: HandlingRules, first_assigned_on: date) -> date:
    """The latest a deadline may be extended to: months from the first assignment."""
    return add_months(first_assigned_on, rules.max_extension_months)


def reassignment_window_end(rules: HandlingRules, assigned_on: date) -> WorkingDays:
    """The last day a unit may ask to have the assignment moved elsewhere, on the
    calendar of the congress's body (national days and the body's own)."""
    return add_working_days(
        assigned_on, rules.reassignment_window_working_days, congress=rules.congress_id
    )


def reassignment_window_ends(rules: HandlingRules, assigned_days) -> dict[date, date]:
    """``reassignment_window_end`` of each day of ``assigned_days`` (the local
    dates of assignment), with one read of the calendar for them all."""
    days = sorted(set(assigned_days))
    if not days:
        return {}
    window = rules.reassignment_window_working_days
    _fewest, most = working_days_span(window)
    calendar = WorkingDayCalendar(
        days[0], days[-1] + timedelta(days=most), congress=rules.congress_id
    )
    return {day: calendar.add(day, window).date for day in days}


# --- on time: the one rule of each, for the dashboard, the lists and the 汇总表 -------

# An assignment replied by its due date, on the reply's local date (``__date`` reads
# the active time zone, Asia/Shanghai): the dashboard's ``on_time``, the lists'
# "replied on time" filter and ``replied_on_time`` below.
REPLIED_ON_TIME = Q(replied_at__date__lte=F("due_at"))


def replied_on_time(assignment, today: date | None = None) -> bool | None:
    """``REPLIED_ON_TIME`` for one loaded assignment: True or False once replied;
    before, False when live work is past its due date (it can no longer be on
    time), else None (not yet known)."""
    if assignment.replied_at is not None:
        return timezone.localdate(assignment.replied_at) <= assignment.due_at
    today = today or clock.today()
    if assignment.is_live and assignment.due_at < today:
        return False
    return None


def acknowledged_on_time(
    assignment, window_end: date, today: date | None = None
) -> bool | None:
    """Acknowledged within the reassignment window ending ``window_end``
    (``reassignment_window_end``): the rule behind the dashboard's "acknowledged
    late" (``dashboard.engine._acknowledged_late``, which counts it over first-round
    lead assignments). True or False once acknowledged; before, False with the
    window past, else None (not yet known)."""
    if assignment.acknowledged_at is not None:
        return timezone.localdate(assignment.acknowledged_at) <= window_end
    today = today or clock.today()
    return False if today > window_end else None


def plan_due(rules: HandlingRules, acknowledged_on: date) -> WorkingDays:
    """The last day the lead unit files its 五定 plan on time: the rules'
    ``plan_working_days`` after acknowledging, on the calendar of the congress's
    body (docs/deadlines.md)."""
    return add_working_days(
        acknowledged_on, rules.plan_working_days, congress=rules.congress_id
    )


def rating_window_end(rules: HandlingRules, replied_on: date) -> WorkingDays:
    """The day after which a deputy who has not rated the reply is reminded (on the
    calendar of the congress's body)."""
    return add_working_days(
        replied_on, rules.rating_window_working_days, congress=rules.congress_id
    )


def days_waiting(since, today=None) -> int | None:
    """Whole days since ``since`` (a submission time) up to ``today``: how long a
    suggestion has waited in the review queue."""
    from django.utils import timezone

    if since is None:
        return None
    today = today or timezone.localdate()
    return max((today - timezone.localdate(since)).days, 0)
