"""The current time for the services, which the demo loader can move (time travel).

Services read ``now()`` instead of ``timezone.now()`` so that demo data made for past
sessions runs through the very same code paths with historical timestamps.
"""

import contextlib
import threading
from collections.abc import Iterator
from datetime import date, datetime

from django.utils import timezone

_state = threading.local()


def now() -> datetime:
    frozen = getattr(_state, "frozen", None)
    return frozen if frozen is not None else timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous = getattr(_state, "frozen", None)
    _state.frozen = moment
    try:
        yield
    finally:
        _state.frozen = previous
