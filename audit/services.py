"""Writing to the security log. Other apps call ``record`` (with a request) or
``record_event`` (without one, e.g. from a signal or a task)."""

import contextvars
import logging

from django.conf import settings

from .models import Action, SecurityEvent

logger = logging.getLogger("audit")

# The request being served, set by ``audit.middleware.RequestContextMiddleware`` so
# that model signals (account and rule changes) know who acted and from where.
current_request: contextvars.ContextVar = contextvars.ContextVar(
    "audit_current_request", default=None
)


def client_ip(request) -> str | None:
    """The client's address: the peer's, or with ``TRUSTED_PROXY_COUNT`` proxies in
    front, the X-Forwarded-For entry they appended for it. (Also axes' IP callable.)"""
    request = getattr(request, "_request", request)  # a DRF Request
    meta = getattr(request, "META", {})
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR") or None


def _actor(user) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()


def record_event(
    action: str,
    *,
    actor=None,
    actor_username: str = "",
    ip: str | None = None,
    target: str = "",
    details: dict | None = None,
) -> SecurityEvent:
    """Append one event. ``actor`` is a user (or None); ``actor_username`` names a
    caller who is not signed in (a failed sign-in)."""
    actor_id, username = _actor(actor)
    event = SecurityEvent(
        action=Action(action),
        actor_id=actor_id,
        actor_username=(username or actor_username)[:150],
        ip=ip,
        target=str(target)[:255],
        details=details or {},
    )
    event.save()
    logger.info(
        "security event %s actor=%s ip=%s target=%s",
        event.action,
        event.actor_username or "-",
        ip or "-",
        event.target or "-",
    )
    return event


def record(request, action: str, *, target="", **details) -> SecurityEvent:
    """Append one event for ``request``: its user, its address, ``target`` (a short
    text such as "suggestions.csv" or "suggestion 42") and ``details`` (JSON values).

    Export views call ``record(request, "export", target=<file or kind>, rows=n,
    filters=...)`` after building the file."""
    return record_event(
        action,
        actor=getattr(request, "user", None),
        ip=client_ip(request),
        target=target,
        details=details,
    )


def record_current(action: str, *, actor=None, target="", **details) -> SecurityEvent:
    """Append one event for the request being served, if any (model signals)."""
    request = current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    return record_event(
        action,
        actor=actor,
        ip=client_ip(request) if request is not None else None,
        target=target,
        details=details,
    )
