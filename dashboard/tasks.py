"""Celery tasks: thin and idempotent, each calling the statistics module."""

import logging

from celery import shared_task
from django.db import DatabaseError, connection
from django.utils import timezone

from congress.models import Session

from . import statistics
from .models import SessionStatistics

logger = logging.getLogger(__name__)

# The advisory lock's first key: "statistics" refreshes (the second is the session).
_LOCK_CLASS = 0x5747


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def refresh_statistics(self, session_id: int) -> bool:
    """Bring one session's snapshot up to date. Safe to run many times and at once:
    a fresh snapshot is left alone, a refresh already running elsewhere makes this
    one try again shortly, and a computation never overwrites a newer one."""
    done = refresh_if_stale(session_id)
    if done is None:
        raise self.retry(countdown=5)
    return done


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(DatabaseError,))
def refresh_stale_statistics() -> int:
    """The safety net: refresh every stale or missing snapshot (runs every minute)."""
    return sum(
        bool(refresh_if_stale(session_id))
        for session_id in statistics.stale_session_ids()
    )


def refresh_if_stale(session_id: int) -> bool | None:
    """Refresh the snapshot unless it is fresh; ``None`` if another process is
    refreshing it right now."""
    snapshot = SessionStatistics.objects.filter(pk=session_id).first()
    if snapshot is not None and snapshot.is_fresh(timezone.localdate()):
        return False
    session = (
        Session.objects.select_related("congress__body").filter(pk=session_id).first()
    )
    if session is None:
        return False
    with _lock(session_id) as acquired:
        if not acquired:
            return None
        statistics.refresh(session)
    logger.info("statistics of session %s refreshed", session_id)
    return True


class _lock:
    """A PostgreSQL advisory lock per session (no lock elsewhere: SQLite has one
    writer at a time anyway)."""

    def __init__(self, session_id: int):
        self.session_id = session_id
        self.held = False

    def __enter__(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, self.session_id]
            )
            self.held = cursor.fetchone()[0]
        return self.held

    def __exit__(self, *exc):
        if self.held:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, self.session_id]
                )
        return False
