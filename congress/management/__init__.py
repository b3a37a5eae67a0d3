"""What the management commands share."""

from django.core.management.base import CommandError
from django.db.models import Q

from congress.models import CongressBody, Session

BODY_HELP = (
    "The congress body: an id, its name or short name. Default: the platform's own "
    "body (the one above the others)."
)


def body_option(value: str | None) -> CongressBody:
    """The congress body a command's ``--body`` names (an id, its name or short
    name); without one, the platform's own body: the only body without a parent."""
    bodies = CongressBody.objects.all()
    if value is None:
        top = list(bodies.filter(parent__isnull=True)[:2])
        if len(top) != 1:
            raise CommandError(
                "Several congress bodies stand at the top: name one with --body."
                if top
                else "No congress body is set up."
            )
        return top[0]
    named = Q(name=value) | Q(short_name=value)
    if value.isdigit():
        named |= Q(pk=int(value))
    found = list(bodies.filter(named)[:2])
    if len(found) != 1:
        raise CommandError(
            f"No congress body named {value!r}."
            if not found
            else f"Several congress bodies are named {value!r}: give its id."
        )
    return found[0]


def session_option(value: str, *, body: str | None = None) -> Session:
    """The session a command's ``--session`` names: an id, or ``current``, the
    current session of the body ``--body`` names (``body_option``)."""
    if value == "current":
        chosen = body_option(body)
        current = Session.objects.current(bodies=[chosen.pk])
        if current is None:
            raise CommandError(f"No session of {chosen} is marked current.")
        return current
    try:
        return Session.objects.select_related("congress__body").get(pk=int(value))
    except (ValueError, Session.DoesNotExist):
        raise CommandError(f"No session with id {value!r}.") from None
