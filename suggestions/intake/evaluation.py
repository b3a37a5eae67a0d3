"""How good the smart intake is on a body's own history (``manage.py
evaluate_intake``): trained on the sessions before a session, it is asked about each
suggestion of that session that was assigned, and its answers are compared with
what staff did.

- **Lead unit, top 1 and top 3:** the unit that led it (after any reassignment) is
  the first recommended, or among the first three.
- **Category:** the first recommended category is the one it was filed under
  (measured only where the history has at least two categories).
- **Precision at 5 of the similar and of the duplicates:** of the (at most five)
  suggestions named like it among those of its session and before, from
  ``similar.FLOOR`` (what a deputy drafting or staff looking for earlier ones are
  shown) and from ``similar.DUPLICATE_FLOOR`` (the likely duplicates staff are
  shown at intake), the share that raise the same matter, as ``same_matter``
  judges a pair (None: not judged, counted as not the same)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer

from congress.models import Session

from ..models import COUNTED_STATUSES, Suggestion
from .index import Live, _rows, fit, unit_texts
from .recommend import recommend_text
from .similar import DUPLICATE_FLOOR, FLOOR, ranked

TOP = 3
_CJK_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+", re.IGNORECASE)
DUPLICATES = 5


@dataclass
class Figures:
    session: Session
    history: int = 0  # suggestions learnt from
    tested: int = 0  # assigned suggestions of the session asked about
    top1: int = 0
    top3: int = 0
    categorised: int = 0  # tested where the category is measured
    category: int = 0
    asked: int = 0  # tested with at least one similar suggestion named
    named: int = 0  # similar suggestions named (at most 5 each)
    same: int = 0  # of them, the same matter
    unjudged: int = 0  # of them, pairs the judge could not say
    baseline_top1: int = 0  # the plain bigram nearest neighbour (``Baseline``)
    baseline_top3: int = 0
    duplicates: int = 0  # of them, named as likely duplicates
    duplicates_same: int = 0  # of those, the same matter

    def share(self, part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def top1_rate(self):
        return self.share(self.top1, self.tested)

    @property
    def top3_rate(self):
        return self.share(self.top3, self.tested)

    @property
    def baseline_top1_rate(self):
        return self.share(self.baseline_top1, self.tested)

    @property
    def baseline_top3_rate(self):
        return self.share(self.baseline_top3, self.tested)

    @property
    def category_rate(self):
        return self.share(self.category, self.categorised)

    @property
    def precision(self):
        return self.share(self.same, self.named)

    @property
    def duplicate_precision(self):
        return self.share(self.duplicates_same, self.duplicates)

    def add(self, other: Figures) -> None:
        for name in (
            "history",
            "tested",
            "top1",
            "top3",
            "categorised",
            "category",
            "asked",
            "named",
            "same",
            "unjudged",
            "duplicates",
            "duplicates_same",
            "baseline_top1",
            "baseline_top3",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _bigrams(text: str) -> list[str]:
    out = []
    for run in _CJK_RUNS.findall(text):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class Baseline:
    """What the method is measured against: a plain character-bigram TF-IDF over
    title and body, units ranked by their nearest past suggestion (the baseline
    the issue names: about 70% top-3 and 59% top-1 on its set)."""

    def __init__(self, history):
        labelled = [r for r in history if r[4] is not None]
        self.units = [r[4] for r in labelled]
        self.vectorizer = TfidfVectorizer(analyzer=_bigrams)
        try:
            self.matrix = self.vectorizer.fit_transform(
                [f"{t}\n{b}" for _p, _s, t, b, _u in labelled]
            )
        except ValueError:
            self.matrix = None

    def rank(self, title: str, body: str) -> list[int]:
        if self.matrix is None:
            return []
        query = self.vectorizer.transform([f"{title}\n{body}"])
        cosines = (self.matrix @ query.T).toarray().ravel()
        order = []
        for i in cosines.argsort()[::-1]:
            if self.units[i] not in order:
                order.append(self.units[i])
        return order


def test_sessions(body_id: int, count: int = 1) -> list[Session]:
    """The newest ``count`` sessions of the body with assigned suggestions and an
    earlier session to learn from, oldest first."""
    sessions = list(
        Session.objects.filter(congress__body_id=body_id)
        .annotate(
            assigned=Count(
                "suggestions",
                filter=Q(
                    suggestions__lead_unit__isnull=False,
                    suggestions__status__in=COUNTED_STATUSES,
                ),
            )
        )
        .filter(assigned__gt=0)
        .order_by("opened_on", "pk")
    )
    return sessions[1:][-count:] if len(sessions) > 1 else []


def _frozen(vectors) -> Live:
    """Vectors as the engine reads them, with nothing added since."""
    return Live(key=None, base=vectors, built_at=timezone.now(), through_id=0)


def evaluate(body_id: int, session: Session, same_matter=None) -> Figures:
    """The figures for ``session``, learnt from the body's sessions before it."""
    before = Session.objects.filter(
        congress__body_id=body_id, opened_on__lt=session.opened_on
    )
    history = list(_rows(body_id, session__in=before))
    through = list(_rows(body_id, Q(session__in=before) | Q(session=session)))
    duties = unit_texts(body_id)
    learnt = _frozen(fit(history, duties))
    seen = _frozen(fit(through, duties))
    baseline = Baseline(history)
    figures = Figures(session=session, history=len(history))
    categories = (
        Suggestion.objects.filter(session__in=before, category__isnull=False)
        .values("category")
        .distinct()
        .count()
    )
    tested = Suggestion.objects.filter(
        session=session, status__in=COUNTED_STATUSES, lead_unit__isnull=False
    ).order_by("number", "pk")
    for suggestion in tested:
        figures.tested += 1
        answer = recommend_text(learnt, body_id, suggestion.title, suggestion.body)
        leads = [choice.unit.pk for choice in answer.lead_units]
        figures.top1 += leads[:1] == [suggestion.lead_unit_id]
        figures.top3 += suggestion.lead_unit_id in leads[:TOP]
        plain = baseline.rank(suggestion.title, suggestion.body)
        figures.baseline_top1 += plain[:1] == [suggestion.lead_unit_id]
        figures.baseline_top3 += suggestion.lead_unit_id in plain[:TOP]
        if categories > 1 and suggestion.category_id is not None:
            figures.categorised += 1
            figures.category += (
                answer.category is not None
                and answer.category.category.pk == suggestion.category_id
            )
        if same_matter is None:
            continue
        hits = ranked(
            seen,
            seen.vector(suggestion.title, suggestion.body),
            exclude=suggestion.pk,
            floor=FLOOR,
            pool=DUPLICATES,
        )
        if not hits:
            continue
        figures.asked += 1
        titles = dict(
            Suggestion.objects.filter(pk__in=[pk for pk, _ in hits]).values_list(
                "pk", "title"
            )
        )
        for pk, score in hits:
            figures.named += 1
            judged = same_matter(suggestion.title, titles[pk])
            figures.same += judged is True
            figures.unjudged += judged is None
            if score >= DUPLICATE_FLOOR:
                figures.duplicates += 1
                figures.duplicates_same += judged is True
    if same_matter is None:
        figures.named = 0
    return figures


def pairs_to_judge(body_id: int, session: Session) -> list[tuple[str, str, float]]:
    """(title, similar title, cosine) of every pair ``evaluate`` names for
    ``session``: what a person judges once for the outside set."""
    before = Session.objects.filter(
        congress__body_id=body_id, opened_on__lt=session.opened_on
    )
    through = list(_rows(body_id, Q(session__in=before) | Q(session=session)))
    seen = _frozen(fit(through, unit_texts(body_id)))
    titles = {pk: title for pk, _s, title, _b, _u in through}
    pairs = []
    for pk, session_id, title, body, _u in through:
        if session_id != session.pk:
            continue
        hits = ranked(
            seen,
            seen.vector(title, body),
            exclude=pk,
            floor=FLOOR,
            pool=DUPLICATES,
        )
        pairs.extend((title, titles[h], score) for h, score in hits)
    return pairs
