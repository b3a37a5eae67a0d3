"""What the management commands share."""

from django.core.management.base import CommandError

from congress.models import Session


def session_option(value: str) -> Session:
    """The session a command's ``--session`` names: an id, or ``current``."""
    if value == "current":
        current = Session.objects.current()
        if current is None:
            raise CommandError("No session is marked current.")
        return current
    try:
        return Session.objects.select_related("congress__body").get(pk=int(value))
    except (ValueError, Session.DoesNotExist):
        raise CommandError(f"No session with id {value!r}.") from None
