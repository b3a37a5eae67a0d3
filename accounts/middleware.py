import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

_LAST_SEEN = "last_seen"
# The timestamp is written back at most this often, so a busy user does not cost a
# session write per request.
_RESOLUTION = 60


class IdleSessionTimeoutMiddleware:
    """Signs out a user idle for ``SESSION_IDLE_TIMEOUT`` seconds (0: never). The
    absolute limit is ``SESSION_COOKIE_AGE`` (the session is not renewed per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
            elif last_seen is None or now - last_seen >= _RESOLUTION:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


def mark_session_active(sender, request, user, **kwargs):
    """A sign-in starts the idle clock (connected in ``AccountsConfig.ready``), so
    the first pages after it do not write the session again."""
    session = getattr(request, "session", None)
    # Only session sign-ins (an API token request signs in without a session).
    if session is not None and SESSION_KEY in session:
        session[_LAST_SEEN] = int(time.time())
