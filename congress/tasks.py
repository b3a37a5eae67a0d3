"""Periodic housekeeping run by Celery beat."""

import logging

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def record_worker_heartbeat(name: str = "worker") -> str:
    """Store when a worker last ran a task, for health checks."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": now})
    logger.info("worker heartbeat %s at %s", name, now.isoformat())
    return now.isoformat()
