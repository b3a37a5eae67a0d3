"""Repeated topics (多年重复提出, docs/statistics.md "Repeated topics"): the
suggestions of a session that raise again a topic of an earlier session of the same
congress body, with those earlier ones and the units that handled them.

Computed on request from the intake engine (``suggestions.intake.repeated_topics``),
not kept in the statistics snapshot: the engine's similarity is not an aggregate the
snapshot's recompute can take as a figure, its answer moves as the engine learns, and
the snapshot's pinned figures and queries stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from congress.models import HandlingUnit, Session
from suggestions.models import Suggestion

from .figures import percent


@dataclass(frozen=True)
class RepeatRow:
    """One suggestion of the session that repeats a topic: the earlier suggestions
    on it (most similar first) and the units involved (its own lead unit and the
    earlier ones'), by name."""

    suggestion: Suggestion
    earlier: list[Suggestion]
    units: list[HandlingUnit]


@dataclass(frozen=True)
class Repeats:
    session: Session
    rows: list[RepeatRow]
    counted: int  # the session's counted suggestions, of which ``len(rows)`` repeat

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def share(self) -> str:
        """The share of the counted suggestions that repeat a topic, as the
        dashboard writes a rate (12.5%; "—" for a session with none counted)."""
        return percent(100 * self.count / self.counted if self.counted else None)


def repeated_topics(session: Session) -> Repeats:
    """The session's suggestions that repeat a topic of an earlier session of its
    body, most repeated first, and how many it counts: the engine's answer, read
    for no actor (the caller has checked that the user may open the body's
    dashboard: ``figures.Scope.choose``)."""
    # The engine's libraries load on first use, not with every page's imports.
    from suggestions.intake import repeated_topics as engine_repeats

    rows = [
        RepeatRow(
            suggestion=repeat.suggestion,
            earlier=[similar.suggestion for similar in repeat.earlier],
            units=list(repeat.units),
        )
        for repeat in engine_repeats(session)
    ]
    counted = Suggestion.objects.filter(session=session).counted().count()
    return Repeats(session=session, rows=rows, counted=counted)
