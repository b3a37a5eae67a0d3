import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

_LAST_SEEN = "last_seen"
_SIGNED_IN = "signed_in_at"
# The timestamp is written back at most this often, so a busy user does not cost a
# session write per request.
_RESOLUTION = 60


class IdleSessionTimeoutMiddleware:
    """Signs out a user idle for ``SESSION_IDLE_TIMEOUT`` seconds (0: never) or signed
    in for longer than ``SESSION_COOKIE_AGE`` (Django's own expiry slides whenever
    the session is written, as the idle clock does once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        now = int(time.time())
        session = request.session
        signed_in = session.get(_SIGNED_IN)
        if signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)
            return
        if not timeout:
            return
        last_seen = session.get(_LAST_SEEN)
        if last_seen is not None and now - last_seen > timeout:
            logout(request)
        elif last_seen is None or now - last_seen >= _RESOLUTION:
            session[_LAST_SEEN] = now


def mark_session_active(sender, request, user, **kwargs):
    """A sign-in starts both clocks (connected in ``AccountsConfig.ready``), so the
    first pages after it do not write the session again."""
    session = getattr(request, "session", None)
    # Only session sign-ins (an API token request signs in without a session).
    if session is not None and SESSION_KEY in session:
        now = int(time.time())
        session[_LAST_SEEN] = now
        session[_SIGNED_IN] = now
