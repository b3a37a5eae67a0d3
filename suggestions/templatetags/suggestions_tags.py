"""Template helpers: status badges, deadline lights, pagination links."""

from datetime import date

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from suggestions.models import Status

register = template.Library()

# Within this many days of the due date a deadline light turns yellow.
DUE_SOON_DAYS = 15


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
    """'green', 'yellow' (due within 15 days) or 'red' (overdue)."""
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


@register.filter
def action_label(action: str) -> str:
    """The timeline's name for a workflow action."""
    from suggestions.workflow import ACTION_LABELS

    return str(ACTION_LABELS.get(action, action))
