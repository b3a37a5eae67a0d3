"""Celery tasks: thin, idempotent, each calling one service."""

import logging

from celery import shared_task
from django.db import DatabaseError

from . import reminders, services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(acks_late=True, ignore_result=True, **RETRY)
def flush_outbox(limit: int = 500) -> int:
    """Deliver due e-mail and SMS copies; safe to run many times at once.

    A batch that went out in full may have more behind it (a reminder sweep can
    queue thousands of copies at once): the task queues its own continuation
    instead of waiting a minute for the beat. A batch with failures stops there,
    so that a gateway that is down is not hammered in a loop.
    """
    sent = services.deliver_pending(limit=limit)
    logger.info("outbox flush: %d sent", sent)
    if sent == limit and services.due_deliveries().exists():
        flush_outbox.apply_async(kwargs={"limit": limit})
    return sent


@shared_task(acks_late=True, ignore_result=True, **RETRY)
def send_reminders() -> int:
    """One reminder sweep (催办)."""
    return reminders.sweep().notifications


@shared_task(acks_late=True, ignore_result=True, **RETRY)
def send_weekly_digests() -> int:
    return reminders.send_digests().notifications
