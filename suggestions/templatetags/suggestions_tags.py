"""Template helpers: status badges, deadline lights, timeline entries, pagination
links."""

import contextlib
from datetime import date

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from suggestions.models import DUE_SOON_DAYS, Status

register = template.Library()


@register.simple_tag
def status_badge(status: str):
    """A badge with one colour per status."""
    label = Status(status).label if status in Status.values else status
    return format_html(
        '<span class="badge status-badge status-{}" data-status="{}">{}</span>',
        status,
        status,
        label,
    )


def deadline_state(due: date | None, *, today: date | None = None) -> str | None:
    """'green', 'yellow' (due within ``DUE_SOON_DAYS``) or 'red' (overdue)."""
    if due is None:
        return None
    days = (due - (today or timezone.localdate())).days
    if days < 0:
        return "red"
    if days <= DUE_SOON_DAYS:
        return "yellow"
    return "green"


@register.simple_tag
def deadline_light(due: date | None, done: bool = False):
    """The due date with a traffic light; nothing once the work is done."""
    if due is None:
        return ""
    if done:
        return format_html("<span>{}</span>", _date(due))
    state = deadline_state(due)
    days = (due - timezone.localdate()).days
    if days < 0:
        hint = ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {
            "days": -days
        }
    else:
        hint = ngettext("%(days)d day left", "%(days)d days left", days) % {
            "days": days
        }
    return format_html(
        '<span class="deadline-light deadline-{}" data-deadline="{}" title="{}">'
        '{} <small class="text-muted">({})</small></span>',
        state,
        state,
        hint,
        _date(due),
        hint,
    )


@register.simple_tag
def assignment_due(assignment):
    """An assignment's due date: with the light and the days left while it is live
    (``Assignment.is_live``), else with the reason it ended, never a countdown."""
    reason = assignment.ended_reason
    if reason is None:
        return deadline_light(assignment.due_at)
    return format_html(
        '{} <span class="badge text-bg-light border" data-ended="{}">{}</span>',
        deadline_light(assignment.due_at, True),
        reason.value,
        reason.label,
    )


def _date(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


@register.filter
def message_class(tags: str) -> str:
    """Bootstrap alert class for a message level."""
    return {"error": "danger", "debug": "secondary"}.get(tags, tags or "info")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with ``kwargs`` replaced (keeps filters on paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.inclusion_tag("suggestions/_timeline_entry.html")
def timeline_entry(event):
    """One entry of a suggestion's timeline: when, who, what was done, the new status
    only where the action's name does not already say it
    (``workflow.timeline_shows_status``), and the note."""
    from suggestions.workflow import event_label, timeline_shows_status

    return {
        "event": event,
        "label": event_label(event),
        "detail": event_detail(event),
        "shows_status": timeline_shows_status(
            event.action, event.from_status, event.to_status
        ),
    }


def event_detail(event) -> str:
    """What a timeline entry adds to its name: a supervision activity's kind, place
    and day; a contact's stage (三见面)."""
    from django.utils.formats import date_format
    from django.utils.translation import pgettext

    from congress.models import ContactStage
    from suggestions.models import SupervisionKind

    data = event.data or {}
    if event.action == "supervision" and data.get("kind") in SupervisionKind.values:
        parts = [str(SupervisionKind(data["kind"]).label), data.get("place", "")]
        with contextlib.suppress(KeyError, TypeError, ValueError):
            parts.append(date_format(date.fromisoformat(data["held_on"])))
        return pgettext("list separator", ", ").join(p for p in parts if p)
    if event.action == "contact" and data.get("stage") in ContactStage.values:
        return str(ContactStage(data["stage"]).label)
    return ""


@register.simple_tag
def days_waiting(since):
    """How long a suggestion has waited since ``since`` ("3天"), the review queue's
    column (``deadlines.days_waiting``)."""
    from django.utils.translation import ngettext

    from ..deadlines import days_waiting as waited

    days = waited(since)
    if days is None:
        return "—"
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
