"""``GET /healthz`` for load balancers and container health checks.

Answers 200 when the database answers, the Celery broker is reachable and a worker
ran the heartbeat task recently (``congress.tasks.record_worker_heartbeat``, sent by
beat every minute); 503 otherwise, with the state of each in JSON:

    {"status": "ok", "database": "ok", "broker": "ok",
     "worker": {"status": "ok", "last_heartbeat": "…", "age_seconds": 12.3}}

``HealthCheckMiddleware`` answers the path before any other middleware runs: no
session, CSRF, locale or authentication work, no HTTPS redirect and no
``ALLOWED_HOSTS`` check (a load balancer probes by IP address, over plain HTTP).
Error details go to the log, never into the public answer.
"""

import logging
import os
import sys
import threading

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

PATH = "/healthz"
OK = "ok"
ERROR = "error"

_redis_clients: dict[str, object] = {}
_redis_lock = threading.Lock()


def check_database() -> tuple[str, WorkerHeartbeat | None]:
    """One query: the newest heartbeat. It answering proves the database does."""
    try:
        return OK, WorkerHeartbeat.objects.order_by("-beat_at").first()
    except DatabaseError as exc:
        logger.warning("health: the database did not answer: %s", exc)
        return ERROR, None


def _redis_client(url: str):
    """One client (and connection pool) per process, with short timeouts."""
    import redis

    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            timeout = settings.HEALTH_BROKER_TIMEOUT
            client = _redis_clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=timeout, socket_timeout=timeout
            )
        return client


def check_broker() -> str:
    """Redis answers PING; the file transport's queue folder is writable; any other
    transport accepts a connection."""
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            _redis_client(url).ping()
        elif url.startswith("filesystem://"):
            options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
            folder = options.get("data_folder_in", ".")
            if not (os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)):
                raise OSError(f"the queue folder {folder} is not writable")
        else:
            from celery import current_app as app

            with app.connection_for_write() as connection:
                connection.ensure_connection(
                    max_retries=0, timeout=settings.HEALTH_BROKER_TIMEOUT
                )
    except Exception as exc:  # any failure of any transport means: not reachable
        logger.warning("health: the broker is not reachable: %r", exc)
        return ERROR
    return OK


def check_worker(heartbeat: WorkerHeartbeat | None, database: str) -> dict:
    if database != OK:
        return {"status": "unknown", "last_heartbeat": None, "age_seconds": None}
    if heartbeat is None:
        return {"status": "missing", "last_heartbeat": None, "age_seconds": None}
    age = (timezone.now() - heartbeat.beat_at).total_seconds()
    stale = age > settings.HEALTH_HEARTBEAT_MAX_AGE
    return {
        "status": "stale" if stale else OK,
        "last_heartbeat": heartbeat.beat_at.isoformat(),
        "age_seconds": round(age, 1),
    }


@require_safe
@never_cache
def healthz(request):
    database, heartbeat = check_database()
    broker = check_broker()
    worker = check_worker(heartbeat, database)
    healthy = database == OK and broker == OK and worker["status"] == OK
    body = {
        "status": OK if healthy else ERROR,
        "database": database,
        "broker": broker,
        "worker": worker,
    }
    return JsonResponse(body, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """Answers ``/healthz`` first, before the other middleware; put it at the top."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


# Seconds a client is asked to wait when the database is unreachable.
RETRY_AFTER = 5


def server_error(request):
    """``handler500``: a request that failed because the database could not be
    reached (down, restarting, connection lost) answers 503 with ``Retry-After``, so
    that clients and load balancers retry; any other error is Django's 500 page.
    Django has already logged the exception either way."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        if request.path.startswith("/api/"):
            # API clients read JSON, whatever went wrong.
            return JsonResponse(
                {"detail": _("A server error occurred."), "code": "error"}, status=500
            )
        return defaults.server_error(request)
    message = _("The service is briefly unavailable. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(
            message, status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER)
    return response
