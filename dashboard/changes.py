"""Keeping the snapshots' staleness current.

``session_changed`` answers ``suggestions.signals.suggestion_moved``, which
``suggestions.workflow.move`` — the one place every change to a suggestion passes —
sends inside the change's own transaction, after the suggestion row is locked: one upsert bumps the session's version, so the snapshot is
stale exactly when the change is visible. For a session too large to recompute while
someone waits, a background refresh is asked for once the transaction commits.

Changes to the reference data the figures name or count (deputies, delegations, units,
categories, rules, calendar, sessions) bump the versions through signals.
"""

import logging

from django.db import connection
from django.db.models import F

from common.tasks import send_now, send_on_commit

logger = logging.getLogger(__name__)


def _upsert_sql() -> str:
    from .models import SessionStatistics

    table = connection.ops.quote_name(SessionStatistics._meta.db_table)
    # Only the quoted table name is formatted in; the id is a parameter.
    return (
        f"INSERT INTO {table} (session_id, version, suggestions) "  # noqa: S608
        "VALUES (%s, 1, 0) "
        f"ON CONFLICT (session_id) DO UPDATE SET version = {table}.version + 1 "
        "RETURNING suggestions"
    )


def session_changed(session_id: int) -> None:
    """Mark the session's figures stale (one query, in the caller's transaction)."""
    from .statistics import sync_limit

    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(_upsert_sql(), [session_id])
            (size,) = cursor.fetchone()
        else:  # SQLite before 3.35: no RETURNING (one writer at a time anyway)
            size = _bump_without_returning(session_id)
    if size > sync_limit():
        request_refresh(session_id, on_commit=True)


def _bump_without_returning(session_id: int) -> int:
    from .models import SessionStatistics

    snapshots = SessionStatistics.objects.filter(pk=session_id)
    if not snapshots.update(version=F("version") + 1):
        SessionStatistics.objects.bulk_create(
            [SessionStatistics(session_id=session_id, version=1)],
            ignore_conflicts=True,
        )
    return snapshots.values_list("suggestions", flat=True).first() or 0


def request_refresh(session_id: int, *, on_commit: bool = False) -> None:
    """Ask a worker to refresh the session's snapshot: after the current transaction
    commits (once per transaction and session), or now. Never raises: with the broker
    down the periodic refresh (``CELERY_BEAT_SCHEDULE``) catches up."""
    from django.conf import settings

    from .tasks import refresh_statistics

    delay = getattr(settings, "STATISTICS_REFRESH_DELAY", 2)
    if on_commit:
        send_on_commit(refresh_statistics, (session_id,), countdown=delay)
    else:
        send_now(refresh_statistics, (session_id,), countdown=delay)


def all_changed(**filters) -> None:
    """Reference data changed: every snapshot (matching ``filters``) is stale."""
    from .models import SessionStatistics

    SessionStatistics.objects.filter(**filters).update(version=F("version") + 1)


def _on_reference_change(sender, instance, **kwargs):
    if sender.__name__ == "Session" and kwargs.get("created"):
        # The row every change of the session will bump exists from the start, so
        # the hook's upsert never has to insert it (and never waits on the session
        # row's lock for its foreign key while a filing holds it).
        from .models import SessionStatistics

        SessionStatistics.objects.bulk_create(
            [SessionStatistics(session_id=instance.pk)], ignore_conflicts=True
        )
    if sender.__name__ == "Deputy":
        all_changed(session__congress__delegations=instance.delegation_id)
    elif sender.__name__ == "Delegation":
        all_changed(session__congress_id=instance.congress_id)
    else:
        all_changed()


def _on_suggestion_moved(sender, suggestion, **kwargs):
    session_changed(suggestion.session_id)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from suggestions.signals import suggestion_moved

    suggestion_moved.connect(_on_suggestion_moved, dispatch_uid="dashboard-moved")

    from congress.models import (
        CalendarDay,
        Delegation,
        Deputy,
        HandlingRules,
        HandlingUnit,
        Session,
    )
    from suggestions.models import Category

    for model in (
        CalendarDay,
        Delegation,
        Deputy,
        HandlingRules,
        HandlingUnit,
        Session,
        Category,
    ):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                _on_reference_change,
                sender=model,
                dispatch_uid=f"dashboard-stale-{model.__name__}-{name}",
            )
