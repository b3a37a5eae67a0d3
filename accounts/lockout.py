"""The answer to a locked-out sign-in (django-axes' ``AXES_LOCKOUT_CALLABLE``), and
the handler that also locks an address trying many usernames (``AXES_HANDLER``)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message(request=None) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, "axes_address_locked", False):
        return _(
            "Too many failed sign-in attempts from your address. "
            "Try again in %(minutes)d minutes, or ask the congress staff to unlock it."
        ) % {"minutes": minutes}
    return _(
        "Too many failed sign-in attempts for this account from your address. "
        "Try again in %(minutes)d minutes, or ask the congress staff to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """429 with a JSON ``detail`` for the API, the login page with the message for
    the browser."""
    message = lockout_message(request)
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


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' database handler with a second limit: besides a username/address pair
    failing ``AXES_FAILURE_LIMIT`` times, an address failing
    ``AXES_IP_FAILURE_LIMIT`` times over all usernames (password spraying) is
    locked for every username, for the same cool-off. Axes has one limit for all
    its lockout parameters, so the address's count is checked here."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return failures
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(
                attempt_time__gte=get_cool_off_threshold(request)
            )
        by_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        limit = get_failure_limit(request, credentials)
        if by_address >= settings.AXES_IP_FAILURE_LIMIT and failures < limit:
            # Reported as the pair's limit reached, so axes locks as usual.
            request.axes_address_locked = True
            return limit
        return failures
