"""The answer to a locked-out sign-in (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-in attempts for this account from your address. "
        "Try again in %(minutes)d minutes, or ask the congress staff to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """429 with a JSON ``detail`` for the API, the login page with the message for
    the browser."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.POST.get("next", ""),
            "lockout_message": message,
        },
        status=429,
    )


# --- staff's view of current lockouts -------------------------------------------------


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

    from common.errors import NotFound
    from suggestions import rules

    rules.require_staff(actor)
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound()
    username = attempt.username or ""
    attempt.delete()
    return username
