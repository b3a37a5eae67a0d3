"""What the suggestions app announces, for the apps above it to act on.

Both signals are sent synchronously inside the change's own transaction, so that what
a receiver writes (the notifications' outbox rows, the statistics' staleness) commits
or rolls back with the change, and a receiver's failure undoes the change. The
suggestions app never imports its listeners: the dashboard and the notifications
connect themselves in their ``AppConfig.ready``.
"""

from django.dispatch import Signal

# Every guarded move (``workflow.move``), after its timeline entry is written and
# while the suggestion row is locked. Arguments: ``suggestion``, ``event``.
suggestion_moved = Signal()

# A happening that people must be told of. The sender is its name ("assigned",
# "replied" …); the keyword arguments describe it (the suggestion, the assignment …).
announced = Signal()


def announce(name: str, **details) -> None:
    """Tell the listeners that ``name`` happened (inside the caller's transaction)."""
    announced.send(sender=name, **details)
