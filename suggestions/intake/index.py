"""The vectors the smart intake compares: one TF-IDF vector per suggestion of a
congress body, over the bigrams of ``text.features``, learnt from that body's own
suggestions and its units' duties (nothing from outside; no model is downloaded).

A body's vectors are built by ``build`` (the nightly task, ``manage.py
build_intake_index``, or the first question asked of a body that has none) and kept
in its ``IntakeIndex`` row as plain arrays (numpy's npz, read without pickle). Each process loads them once and keeps them
while the row is the same; the suggestions written or changed since the build are
read on each question and vectorised in memory (each once), so a suggestion
submitted a minute ago is compared like the rest. Words first seen since the build
count from the next build.

Comparing is one sparse product of the question's vector with the index kept by
feature (features × suggestions): its cost is the length of the postings of the
question's bigrams, not the number of suggestions."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.db.models.functions import Left
from django.utils import timezone
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from congress.models import HandlingUnit

from ..models import IntakeIndex, Suggestion
from .text import BODY_CHARS, document, features, unit_documents

# A bigram in more than this share of a large body's suggestions (建议, 加强, 进一步)
# says nothing of what one is about: it is left out of the vocabulary.
COMMON_SHARE = 0.5
COMMON_FROM = 50  # suggestions; a smaller body keeps every bigram
# The payload's format: a payload of another is rebuilt, not read.
FORMAT = 2
# A unit's centroid keeps this many of its heaviest features.
CENTROID_FEATURES = 3000


@dataclass
class Vectors:
    """Suggestions as vectors: ``by_feature`` has a row per feature and a column per
    suggestion (``ids``, of sessions ``sessions``); L2-normalised, so a product is a
    cosine. ``centroids`` has a row per unit (``units``): the normalised sum of the
    suggestions it led and of its names and duties, when they were built."""

    vectorizer: TfidfVectorizer | None
    by_feature: sparse.csr_matrix
    ids: np.ndarray
    sessions: np.ndarray
    units: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    centroids: sparse.csr_matrix | None = None

    def vector(self, title: str, body: str = "") -> sparse.csr_matrix | None:
        return self.vectorize([document(title, body)])

    def vectorize(self, texts: list[str]) -> sparse.csr_matrix | None:
        if self.vectorizer is None:
            return None
        return self.vectorizer.transform(texts).astype(np.float32)

    def scores(self, query: sparse.csr_matrix) -> np.ndarray:
        if not len(self.ids):
            return np.zeros(0, dtype=np.float32)
        return np.asarray((query @ self.by_feature).todense()).ravel()

    def unit_scores(self, query: sparse.csr_matrix) -> dict[int, float]:
        """The cosine of ``query`` with each unit's centroid."""
        if self.centroids is None or not len(self.units):
            return {}
        cosines = np.asarray((self.centroids @ query.T).todense()).ravel()
        return dict(zip(self.units.tolist(), cosines.tolist(), strict=True))


def _vectorizer(size: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=features,
        sublinear_tf=True,
        max_df=COMMON_SHARE if size >= COMMON_FROM else 1.0,
        dtype=np.float32,
    )


def fit(rows, unit_texts: list[tuple[int, str]] = ()) -> Vectors:
    """Vectors of ``rows`` ((id, session id, title, body opening, lead unit id)
    each), the vocabulary and its weights learnt from them and the units' texts
    (``unit_texts``: (unit id, text)), with each unit's centroid."""
    rows = list(rows)
    unit_texts = [(unit, text) for unit, text in unit_texts if text]
    texts = [document(title, body) for _pk, _s, title, body, _u in rows]
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    sessions = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    vectorizer = _vectorizer(len(texts))
    try:
        vectorizer.fit(texts + [text for _u, text in unit_texts])
    except ValueError:  # nothing to learn from: an empty vocabulary
        empty = sparse.csr_matrix((0, 0), dtype=np.float32)
        return Vectors(None, empty, ids, sessions)
    size = len(vectorizer.vocabulary_)
    matrix = (
        vectorizer.transform(texts).astype(np.float32)
        if texts
        else sparse.csr_matrix((0, size), dtype=np.float32)
    )
    labelled = [(i, r[4]) for i, r in enumerate(rows) if r[4] is not None]
    units = sorted({u for _i, u in labelled} | {u for u, _t in unit_texts})
    position = {u: n for n, u in enumerate(units)}
    centroids = None
    if units:
        pick = sparse.csr_matrix(
            (
                np.ones(len(labelled), dtype=np.float32),
                ([position[u] for _i, u in labelled], [i for i, _u in labelled]),
            ),
            shape=(len(units), len(rows)),
        )
        own = vectorizer.transform([t for _u, t in unit_texts]).astype(np.float32)
        pick_own = sparse.csr_matrix(
            (
                np.ones(len(unit_texts), dtype=np.float32),
                ([position[u] for u, _t in unit_texts], range(len(unit_texts))),
            ),
            shape=(len(units), len(unit_texts)),
        )
        centroids = _trimmed(pick @ matrix + pick_own @ own)
    return Vectors(
        vectorizer,
        matrix.T.tocsr(),
        ids,
        sessions,
        np.array(units, dtype=np.int64),
        centroids,
    )


def _trimmed(sums: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row cut to its ``CENTROID_FEATURES`` heaviest features and normalised:
    a unit's centroid keeps what it is about, not every word it ever met."""
    sums = sums.tocsr()
    rows = []
    for n in range(sums.shape[0]):
        row = sums.getrow(n)
        if row.nnz > CENTROID_FEATURES:
            keep = np.argpartition(-row.data, CENTROID_FEATURES - 1)[:CENTROID_FEATURES]
            row = sparse.csr_matrix(
                (
                    row.data[keep],
                    (np.zeros(len(keep), dtype=np.int64), row.indices[keep]),
                ),
                shape=row.shape,
            )
        rows.append(row)
    return normalize(sparse.vstack(rows).tocsr()).astype(np.float32)


def _rows(body_id: int, *conditions, **filters):
    return (
        Suggestion.objects.filter(
            *conditions, session__congress__body_id=body_id, **filters
        )
        .order_by("pk")
        .values_list(
            "pk", "session_id", "title", Left("body", BODY_CHARS), "lead_unit_id"
        )
    )


def unit_texts(body_id: int) -> list[tuple[int, str]]:
    """(unit id, text) of every text that speaks for a unit of the body in use."""
    return [
        (pk, text)
        for pk, name, short_name, duties in HandlingUnit.objects.filter(
            body_id=body_id, active=True
        )
        .order_by("pk")
        .values_list("pk", "name", "short_name", "duties")
        for text in unit_documents(name, short_name, duties)
    ]


def build(body_id: int) -> IntakeIndex:
    """Build and store the vectors of every suggestion of the body (drafts too: who
    may see which is asked of the database at each question)."""
    started = timezone.now()
    rows = list(_rows(body_id))
    vectors = fit(rows, unit_texts(body_id))
    payload = dump(vectors)
    index, _created = IntakeIndex.objects.update_or_create(
        body_id=body_id,
        defaults={
            "built_at": started,
            "through_id": int(vectors.ids.max()) if len(vectors.ids) else 0,
            "size": len(vectors.ids),
            "payload": payload,
        },
    )
    return index


@dataclass
class Live:
    """A body's vectors as this process holds them: the stored ones and, beside
    them, the suggestions written or changed since (``recent``)."""

    key: tuple
    base: Vectors
    built_at: object
    through_id: int
    # id → (updated_at, session id, vector) of what changed since the build.
    recent: dict = field(default_factory=dict)
    # (unit id, duties) → vector: the units' statements, vectorised once each.
    duties: dict = field(default_factory=dict)
    _recent_stack: tuple | None = None

    def refresh(self, body_id: int) -> None:
        changed = dict(
            Suggestion.objects.filter(session__congress__body_id=body_id)
            .filter(Q(pk__gt=self.through_id) | Q(updated_at__gt=self.built_at))
            .values_list("pk", "updated_at")
        )
        gone = self.recent.keys() - changed.keys()
        stale = [
            pk for pk, at in changed.items() if self.recent.get(pk, (None,))[0] != at
        ]
        if not gone and not stale:
            return
        for pk in gone:
            del self.recent[pk]
        if stale:
            rows = list(_rows(body_id, pk__in=stale))
            vectors = self.base.vectorize([document(t, b) for _p, _s, t, b, _u in rows])
            for i, (pk, session_id, _t, _b, _u) in enumerate(rows):
                vector = vectors[i] if vectors is not None else None
                self.recent[pk] = (changed[pk], session_id, vector)
        self._recent_stack = None

    def _stack(self):
        if self._recent_stack is None:
            pks = sorted(pk for pk, v in self.recent.items() if v[2] is not None)
            ids = np.array(pks, dtype=np.int64)
            sessions = np.array([self.recent[pk][1] for pk in pks], dtype=np.int64)
            matrix = (
                sparse.vstack([self.recent[pk][2] for pk in pks]).T.tocsr()
                if pks
                else None
            )
            # The stored columns that changed since are answered by the new ones.
            replaced = np.isin(self.base.ids, ids) if pks else None
            self._recent_stack = (ids, sessions, matrix, replaced)
        return self._recent_stack

    def vector(self, title: str, body: str = ""):
        return self.base.vector(title, body)

    def scores(self, query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids, sessions, cosine) of every suggestion of the body."""
        base = self.base.scores(query)
        ids, sessions, matrix, replaced = self._stack()
        if matrix is None:
            return self.base.ids, self.base.sessions, base
        if replaced.any():
            base = base.copy()
            base[replaced] = -1.0
        recent = np.asarray((query @ matrix).todense()).ravel()
        return (
            np.concatenate([self.base.ids, ids]),
            np.concatenate([self.base.sessions, sessions]),
            np.concatenate([base, recent]),
        )


_held: dict[int, Live] = {}
_lock = threading.Lock()


def live(body_id: int) -> Live:
    """The body's vectors, up to date: built now if the body has none yet."""
    row = (
        IntakeIndex.objects.filter(body_id=body_id)
        .values_list("pk", "built_at", "through_id")
        .first()
    )
    if row is None:
        index = build(body_id)
        row = (index.pk, index.built_at, index.through_id)
    with _lock:
        held = _held.get(body_id)
        if held is None or held.key != row:
            held = _load(body_id, row)
            _held[body_id] = held
        held.refresh(body_id)
        return held


def dump(vectors: Vectors) -> bytes:
    """The vectors as an npz of plain arrays (no pickled object in it)."""
    out = io.BytesIO()
    if vectors.vectorizer is None:
        terms, idf = np.array([], dtype="U1"), np.array([], dtype=np.float32)
    else:
        vocabulary = vectors.vectorizer.vocabulary_
        terms = np.array(sorted(vocabulary, key=vocabulary.get))
        idf = vectors.vectorizer.idf_.astype(np.float32)
    matrix = vectors.by_feature
    np.savez_compressed(
        out,
        format=np.array([FORMAT]),
        terms=terms,
        idf=idf,
        data=matrix.data,
        indices=matrix.indices,
        indptr=matrix.indptr,
        shape=np.array(matrix.shape),
        ids=vectors.ids,
        sessions=vectors.sessions,
        units=vectors.units,
        **_parts("centroid_", vectors.centroids),
    )
    return out.getvalue()


def _parts(prefix: str, matrix) -> dict:
    if matrix is None:
        return {}
    return {
        f"{prefix}data": matrix.data,
        f"{prefix}indices": matrix.indices,
        f"{prefix}indptr": matrix.indptr,
        f"{prefix}shape": np.array(matrix.shape),
    }


def load(payload: bytes) -> Vectors | None:
    """The vectors ``dump`` wrote, or None for a payload of another format."""
    with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
        if int(arrays["format"][0]) != FORMAT:
            return None
        terms = arrays["terms"]
        vectorizer = None
        if len(terms):
            vectorizer = _vectorizer(len(arrays["ids"]))
            vectorizer.vocabulary_ = {str(t): i for i, t in enumerate(terms)}
            vectorizer.idf_ = arrays["idf"]
        matrix = sparse.csr_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]),
            shape=tuple(arrays["shape"]),
        )
        centroids = None
        if "centroid_shape" in arrays:
            centroids = sparse.csr_matrix(
                (
                    arrays["centroid_data"],
                    arrays["centroid_indices"],
                    arrays["centroid_indptr"],
                ),
                shape=tuple(arrays["centroid_shape"]),
            )
        return Vectors(
            vectorizer,
            matrix,
            arrays["ids"],
            arrays["sessions"],
            arrays["units"],
            centroids,
        )


def _load(body_id: int, row) -> Live:
    payload = IntakeIndex.objects.filter(pk=row[0]).values_list("payload", flat=True)
    data = payload.first()
    vectors = load(bytes(data)) if data is not None else None
    if vectors is None:
        index = build(body_id)
        return _load(body_id, (index.pk, index.built_at, index.through_id))
    return Live(key=row, base=vectors, built_at=row[1], through_id=row[2])


def forget() -> None:
    """Drop what this process holds (tests, and after a rebuild in this process)."""
    with _lock:
        _held.clear()
