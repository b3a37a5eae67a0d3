"""Staff's view of the sign-ins django-axes has locked now, and lifting a lock."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.errors import NotFound, NotPermitted


def active_lockouts():
    """The username/IP pairs locked now, newest first."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def unlock(*, actor, attempt_id: int) -> str:
    """Lift one lockout (the log records it, ``audit.signals``); returns the
    username. Congress staff only; an unknown id is ``NotFound``."""
    from axes.models import AccessAttempt

    if not getattr(actor, "is_congress_staff", False):
        raise NotPermitted(_("Only congress staff may do this."))
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound()
    username = attempt.username or ""
    attempt.delete()
    return username
