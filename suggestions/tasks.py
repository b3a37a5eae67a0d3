"""Celery tasks of the suggestions app."""

import logging

from celery import shared_task
from django.db import DatabaseError

from congress.models import CongressBody

from .intake import index
from .models import PublishedCount, recount_published

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(DatabaseError,))
def recount_published_suggestions() -> bool:
    """The safety net of the published counts (beat, nightly): the triggers keep them
    in every transaction, but a ``TRUNCATE`` or hand-written SQL with the trigger off
    goes around them. Rebuilds them and answers (and logs) whether any had drifted."""
    before = dict(PublishedCount.objects.values_list("session_id", "n"))
    recount_published()
    after = dict(PublishedCount.objects.values_list("session_id", "n"))
    drifted = {
        session: (before.get(session, 0), after.get(session, 0))
        for session in before.keys() | after.keys()
        if before.get(session, 0) != after.get(session, 0)
    }
    if drifted:
        logger.warning("published counts corrected (session: was, is): %s", drifted)
    return bool(drifted)


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(DatabaseError,))
def rebuild_intake_indexes() -> int:
    """The smart intake's nightly rebuild (beat): each body's vectors afresh, so
    the day's suggestions, edits, new words and assignments are in its centroids
    (between builds the questions read them live: suggestions.intake.index)."""
    bodies = list(CongressBody.objects.values_list("pk", flat=True))
    for body_id in bodies:
        index.build(body_id)
    return len(bodies)
