"""Which database a read goes to: the primary, or the read replica for the pages
that may lag behind it by a moment.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` alias and
``ReplicaRouter`` (``DATABASE_ROUTERS``). The router sends a read to the replica only
inside ``reading_from_replica()``, which the dashboards, the exports and the public
pages enter (``replica_reads`` on their views); every other read, every write and
every migration stays on the primary. Without the variable there is no router and
nothing here has any effect.

Why not every read: the workflow reads its own writes. A clerk who has just sent a
reply is led to the assignment's page, which must show the reply; a replica a
second behind would not. The routed pages are the ones where a second's lag is
harmless: figures, downloads and what the public reads.

``decide()`` is the one place that chooses; a read inside a transaction on the
primary stays there (what that transaction wrote is not on the replica), and
``reading_from_primary()`` takes a write path that reads (the statistics snapshot's
recompute) back to the primary within a routed page.

A replica that does not answer costs no page: a routed view that fails with a
database error while the replica is unreachable runs again on the primary, and the
process leaves the replica alone for ``REPLICA_RETRY_SECONDS`` before trying it
again (a warning in the log says so each time).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

REPLICA = "replica"

# How long a process reads from the primary after the replica failed to answer.
REPLICA_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)

# ``time.monotonic()`` until which the replica is left alone (this process).
_replica_down_until = 0.0

# True inside reading_from_replica(), False inside reading_from_primary(); the
# innermost wins. A context variable: each thread (and task) has its own.
_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)


@contextmanager
def reading_from_replica():
    """Reads within go to the replica when there is one. Usable as a decorator."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def reading_from_primary():
    """Reads within go to the primary, even inside ``reading_from_replica()``."""
    token = _replica_wanted.set(False)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def decide() -> str:
    """The alias a read goes to now: ``replica`` inside ``reading_from_replica()``
    when the alias exists and the primary is not in a transaction, else the
    primary."""
    if not _replica_wanted.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if time.monotonic() < _replica_down_until:
        return DEFAULT_DB_ALIAS
    return REPLICA


def _routed() -> bool:
    """Whether ``ReplicaRouter`` sends the reads (the settings install it with the
    replica alias; tests may have the alias alone)."""
    return any(isinstance(r, ReplicaRouter) for r in router.routers)


def replica_answers() -> bool:
    """Whether the replica takes a new connection now (its current one, broken or
    not, is closed first)."""
    replica = connections[REPLICA]
    try:
        replica.close()
        replica.ensure_connection()
    except DatabaseError:
        return False
    return True


def _replica_failed(error: DatabaseError) -> bool:
    """Whether ``error``, raised by a routed view, came from a replica that does
    not answer; if so, the replica is left alone for ``REPLICA_RETRY_SECONDS``."""
    global _replica_down_until
    if not _routed() or decide() != REPLICA or replica_answers():
        return False
    _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
    logger.warning(
        "The read replica does not answer (%s): reading from the primary for the "
        "next %s s.",
        error,
        REPLICA_RETRY_SECONDS,
    )
    return True


def replica_reads(view: Callable) -> Callable:
    """A view (function or method, Django or DRF) whose reads go to the replica,
    or to the primary while the replica does not answer.

    The request's user is resolved first, on the primary: the session and account
    of a sign-in that has just been written must count."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        for arg in args[:2]:
            user = getattr(arg, "user", None)
            if user is not None:
                # Evaluates the lazy user (session and account) here, outside.
                getattr(user, "is_authenticated", None)
                break
        with reading_from_replica():
            try:
                return view(*args, **kwargs)
            except DatabaseError as error:
                if not _replica_failed(error):
                    raise
            # The replica is down: the same view on the primary (routed views
            # only read; what they compute and store goes to the primary anyway).
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads as ``decide()`` says, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        return decide()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
