"""Sending work to the Celery worker from a change: after the commit, once, never
blocking the request when the broker is down.

Every caller keeps the work itself in the database (the outbox's pending copies, a
session's stale figures), so a message that cannot be sent is only late: a periodic
beat task picks the work up. That is why sending never raises and never retries.
"""

import logging
from collections.abc import Hashable

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def send_now(task, args: tuple = (), *, countdown: float | None = None) -> bool:
    """Send ``task`` to the broker now; answers whether it went. With the broker down
    it fails fast: one connection attempt and no publish retries (kombu's defaults
    retry for about six seconds, which the request that has just committed would
    wait through)."""
    try:
        if task.app.conf.task_always_eager:
            task.apply_async(args, countdown=countdown)
            return True
        with task.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            task.apply_async(
                args, countdown=countdown, connection=connection, retry=False
            )
        return True
    except Exception:  # any broker failure: the database keeps the work
        logger.warning("broker unavailable; %s waits for its periodic run", task.name)
        return False


class _Send:
    """The callback run on commit; ``key`` lets a later request in the same
    transaction see that it is already scheduled."""

    def __init__(self, key: Hashable, task, args: tuple, countdown):
        self.key = key
        self.task, self.args, self.countdown = task, args, countdown

    def __call__(self):
        send_now(self.task, self.args, countdown=self.countdown)


def send_on_commit(task, args: tuple = (), *, countdown: float | None = None) -> None:
    """Send ``task`` once the current transaction commits, once per transaction for
    the same task and arguments (a request that changes fifty suggestions asks the
    worker once); nothing is sent if it rolls back. Outside a transaction it is
    sent at once."""
    key = (task.name, tuple(args))
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django keeps the pending callbacks in ``run_on_commit`` and drops those of
        # a savepoint rolled back, so a callback still listed will run. It offers no
        # public way to ask, and this is the one place that reads it.
        for _savepoints, callback, _robust in connection.run_on_commit:
            if getattr(callback, "key", None) == key:
                return
    transaction.on_commit(_Send(key, task, tuple(args), countdown))


@shared_task(acks_late=True, ignore_result=True)
def purge_idempotency_keys() -> int:
    """Delete the API's idempotency keys and the forms' used one-time tokens once
    they are older than their 24 hours (an expired form token is refused by its
    signature, so its row is no longer needed). Safe to run twice."""
    from .api.idempotency import purge
    from .once import purge as purge_form_tokens

    return purge() + purge_form_tokens()
