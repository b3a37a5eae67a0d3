"""Staff's view of the sign-ins django-axes has locked now, and lifting a lock."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.errors import NotFound, NotPermitted


def active_lockouts(*, actor):
    """The username/IP pairs locked now, newest first: of the accounts ``actor``
    administers (``selectors.accounts_in_reach``)."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    from .selectors import accounts_in_reach

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    accounts = accounts_in_reach(actor)
    if accounts is not None:
        rows = rows.filter(username__in=accounts.values("username"))
    return rows.order_by("-attempt_time")


def unlock(*, actor, attempt_id: int) -> str:
    """Lift one lockout (the log records it, ``audit.signals``); returns the
    username. Congress staff only; an unknown id is ``NotFound``."""

    if not getattr(actor, "is_congress_staff", False):
        raise NotPermitted(_("Only congress staff may do this."))
    attempt = active_lockouts(actor=actor).filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound()
    username = attempt.username or ""
    attempt.delete()
    return username
