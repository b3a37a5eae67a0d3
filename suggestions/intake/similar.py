"""Similar suggestions: for a deputy's draft, staff's likely duplicates at intake
and repeats from earlier sessions, and the dashboard's repeated topics. Only what
the asker may see is ever named (``Suggestion.objects.visible_to``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from congress.models import CongressBody, HandlingUnit, Session

from ..models import COUNTED_STATUSES, Status, Suggestion
from . import index
from .text import document

# The cosine from which two texts are named similar: below it, two suggestions
# share words (交通, 学校) more than a matter. Measured on the demo and the outside
# set (README, "Smart intake"); ``evaluate_intake`` prints the precision it gives.
FLOOR = 0.25
# The cosine from which staff are shown a suggestion of the same session as a
# likely duplicate (可能重复) to merge: on the demo, about two in three of those
# shown raise the same matter (``evaluate_intake``'s precision at 5).
DUPLICATE_FLOOR = 0.7
# The cosine from which a suggestion of an earlier session counts as the same
# matter raised again (多年重复提出) on the dashboard: stricter than a hint.
REPEAT_FLOOR = 0.4
# How many of the closest are asked of the database, to keep those the asker may
# see: enough for a deputy, who sees the published ones and their own.
POOL = 300
# Never offered as similar: a draft is its deputy's alone, a withdrawn one was
# taken back, a merged one lives on in the one it was merged into.
HIDDEN = (Status.DRAFT, Status.WITHDRAWN, Status.MERGED)
LIMIT = 10
SCOPES = ("all", "same_session", "earlier")


@dataclass(frozen=True)
class Similar:
    suggestion: Suggestion
    score: float


def ranked(live, query, *, keep=None, exclude=None, floor=FLOOR, pool=POOL):
    """[(id, cosine)] of the closest suggestions at or above ``floor``, closest
    first; ``keep`` is a mask over the sessions (``sessions -> bool array``)."""
    if query is None or not query.nnz:
        return []
    ids, sessions, scores = live.scores(query)
    mask = scores >= floor
    if keep is not None:
        mask &= keep(sessions)
    if exclude is not None:
        mask &= ids != exclude
    where = np.flatnonzero(mask)
    if len(where) > pool:
        where = where[np.argpartition(-scores[where], pool - 1)[:pool]]
    where = where[np.argsort(-scores[where], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in where]


def loaded(queryset):
    """Suggestions as a list of similar ones shows them: without their bodies."""
    return queryset.select_related(
        "session", "session__congress", "category", "lead_unit"
    ).defer("body")


def visible(actor, hits, limit: int) -> list[Similar]:
    """The ``hits`` the actor may see, as ``Similar``, at most ``limit``: which of
    them may be seen is asked by their keys alone, then only the first ``limit``
    are read."""
    if not hits:
        return []
    rows = Suggestion.objects.exclude(status__in=HIDDEN)
    if actor is not None:
        rows = rows.visible_to(actor)
    seen = set(
        rows.filter(pk__in=[pk for pk, _ in hits])
        .order_by()
        .values_list("pk", flat=True)
    )
    chosen = [(pk, score) for pk, score in hits if pk in seen][:limit]
    if not chosen:
        return []
    by_pk = loaded(Suggestion.objects.order_by()).in_bulk([pk for pk, _ in chosen])
    return [Similar(by_pk[pk], round(score, 3)) for pk, score in chosen if pk in by_pk]


def similar_to_text(
    actor,
    body: CongressBody,
    title: str,
    text: str = "",
    *,
    session: Session | None = None,
    limit: int = LIMIT,
) -> list[Similar]:
    """Suggestions of ``body`` most like ``title`` and ``text`` that ``actor`` may
    see, most similar first; ``session`` keeps those of one session."""
    live = index.live(body.pk)
    keep = None
    if session is not None:
        keep = lambda sessions: sessions == session.pk  # noqa: E731
    return visible(actor, ranked(live, live.vector(title, text), keep=keep), limit)


def earlier_sessions(session: Session) -> np.ndarray:
    """The ids of the sessions of the body that opened before ``session``."""
    return np.array(
        Session.objects.filter(
            congress__body_id=session.congress.body_id,
            opened_on__lt=session.opened_on,
        ).values_list("pk", flat=True),
        dtype=np.int64,
    )


def similar_to(
    actor, suggestion: Suggestion, *, scope: str = "all", limit: int = LIMIT
) -> list[Similar]:
    """Suggestions like ``suggestion`` that ``actor`` may see: of any session, of
    its own (``same_session``: likely duplicates) or of earlier ones
    (``earlier``: the matter raised before). Likely duplicates must be closer
    (``DUPLICATE_FLOOR``) than a hint of what was raised before (``FLOOR``)."""
    if scope not in SCOPES:
        raise ValueError(scope)
    session = suggestion.session
    live = index.live(session.congress.body_id)
    keep = None
    if scope == "same_session":
        keep = lambda sessions: sessions == session.pk  # noqa: E731
    elif scope == "earlier":
        before = earlier_sessions(session)
        keep = lambda sessions: np.isin(sessions, before)  # noqa: E731
    query = live.vector(suggestion.title, suggestion.body)
    floor = DUPLICATE_FLOOR if scope == "same_session" else FLOOR
    hits = ranked(live, query, keep=keep, exclude=suggestion.pk, floor=floor)
    return visible(actor, hits, limit)


@dataclass(frozen=True)
class Repeat:
    suggestion: Suggestion
    earlier: list[Similar]
    units: list[HandlingUnit]


def repeated_topics(session: Session, *, per_suggestion: int = 5) -> list[Repeat]:
    """Counted suggestions of ``session`` that raise again a matter of an earlier
    session of its body (多年重复提出), those repeated most first, each with the
    earlier ones and the lead units involved. For staff and leaders of the body."""
    live = index.live(session.congress.body_id)
    before = earlier_sessions(session)
    if not len(before):
        return []
    rows = list(
        Suggestion.objects.filter(session=session, status__in=COUNTED_STATUSES)
        .order_by("number", "pk")
        .values_list("pk", "title", "body")
    )
    found: dict[int, list[tuple[int, float]]] = {}
    chunk = 500
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        queries = live.base.vectorize([document(t, b) for _pk, t, b in part])
        if queries is None:
            break
        queries = index.pruned(queries, index.QUERY_FEATURES)
        for i, (pk, _t, _b) in enumerate(part):
            hits = ranked(
                live,
                queries[i],
                keep=lambda sessions: np.isin(sessions, before),
                floor=REPEAT_FLOOR,
                pool=per_suggestion,
            )
            if hits:
                found[pk] = hits
    if not found:
        return []
    wanted = set(found) | {pk for hits in found.values() for pk, _ in hits}
    by_pk = {
        s.pk: s
        for s in loaded(Suggestion.objects.exclude(status__in=HIDDEN)).filter(
            pk__in=wanted
        )
    }
    repeats = []
    for pk, hits in found.items():
        if pk not in by_pk:
            continue
        earlier = [Similar(by_pk[h], round(s, 3)) for h, s in hits if h in by_pk]
        if not earlier:
            continue
        units = []
        for s in [by_pk[pk], *(e.suggestion for e in earlier)]:
            if s.lead_unit is not None and s.lead_unit not in units:
                units.append(s.lead_unit)
        repeats.append(Repeat(by_pk[pk], earlier, units))
    repeats.sort(key=lambda r: (-len(r.earlier), -r.earlier[0].score))
    return repeats
