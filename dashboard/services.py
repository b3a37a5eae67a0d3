"""Writing the assessment formulas (``AssessmentFormula``): staff of a body add,
change and remove its versions; each write is atomic, checked for the actor's body
and for history.

History: a sealed session's score is final, so no write may change the version
that scores it (``version_in_force`` on its opening date) nor that version's
points. A new version must therefore take effect after every sealed session it
would otherwise take over (400 on ``effective_from``); a version that scored a
sealed session is not changed nor deleted (``SessionSealed``, 409): staff add a new
version from a later date instead. Unsealed sessions follow the formula in force
for them, edits included (their figures may still change too).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.rules import require_staff
from common.errors import InvalidInput, NotFound, SessionSealed
from congress.models import Session

from .assessment import clean_weights, default_weights, stored_weights, version_in_force
from .models import AssessmentFormula


def _weights(value) -> dict:
    try:
        return stored_weights(clean_weights(value))
    except ValueError as error:
        message = " ".join(str(e) for e in error.args[0])
        raise InvalidInput(message, field="weights") from None


def _identity(version: AssessmentFormula | None):
    if version is None:
        return None
    return version.pk, tuple(sorted((version.weights or {}).items()))


def rewritten_session(
    body_id: int,
    *,
    versions: list[AssessmentFormula],
    after: list[AssessmentFormula],
) -> Session | None:
    """The first sealed session of the body whose scoring would change from
    ``versions`` to ``after`` (another version in force, or its points changed);
    None when history stays as it is."""
    for session in Session.objects.filter(
        congress__body_id=body_id, sealed_at__isnull=False
    ).order_by("opened_on", "pk"):
        if _identity(version_in_force(versions, session.opened_on)) != _identity(
            version_in_force(after, session.opened_on)
        ):
            return session
    return None


def history_conflict(
    body_id: int,
    *,
    saving: AssessmentFormula | None = None,
    removing: int | None = None,
    versions: list[AssessmentFormula] | None = None,
) -> Session | None:
    """The sealed session whose scoring would change by saving ``saving`` (new, or
    a changed version) or removing the version ``removing``; None if none would.
    The admin's form asks it too."""
    if versions is None:
        versions = list(AssessmentFormula.objects.filter(body_id=body_id))
    after = [v for v in versions if v.pk != removing]
    if saving is not None:
        after = [v for v in after if saving.pk is None or v.pk != saving.pk]
        after.append(saving)
    return rewritten_session(body_id, versions=versions, after=after)


def history_error(session: Session) -> str:
    return _(
        "The sealed session %(session)s (opened on %(day)s) is scored with the "
        "formula in force then; its history cannot change. Add a new version "
        "taking effect after %(day)s."
    ) % {"session": session.short_name, "day": session.opened_on.isoformat()}


def _body_versions(body_id: int) -> list[AssessmentFormula]:
    # Locked: two writers to one body's formulas are checked one after the other.
    return list(AssessmentFormula.objects.select_for_update().filter(body_id=body_id))


def _require_staff_of(actor, body_id: int) -> None:
    require_staff(actor)
    if not actor.is_staff_of(body_id):
        raise NotFound()


def _save(formula: AssessmentFormula) -> AssessmentFormula:
    try:
        with transaction.atomic():
            formula.save()
    except IntegrityError:
        raise InvalidInput(
            _("The body already has a version taking effect on that day."),
            field="effective_from",
        ) from None
    return formula


@transaction.atomic
def formula_create(
    *,
    actor,
    body_id: int,
    effective_from: date,
    weights: dict | None = None,
    note: str = "",
) -> AssessmentFormula:
    """A new version of the body's formula. Rules left out of ``weights`` get their
    default points (stored with the version, so that a rule added to the code later
    does not change it); 0 leaves a rule out."""
    _require_staff_of(actor, body_id)
    points = {**stored_weights(default_weights()), **_weights(weights or {})}
    versions = _body_versions(body_id)
    formula = AssessmentFormula(
        body_id=body_id,
        effective_from=effective_from,
        weights=points,
        note=note,
        created_by=actor,
    )
    session = history_conflict(body_id, saving=formula, versions=versions)
    if session is not None:
        raise InvalidInput(history_error(session), field="effective_from")
    return _save(formula)


def _body_of(formula_id) -> int:
    try:
        body_id = (
            AssessmentFormula.objects.filter(pk=formula_id)
            .values_list("body_id", flat=True)
            .first()
        )
    except (TypeError, ValueError):
        raise NotFound() from None
    if body_id is None:
        raise NotFound()
    return body_id


@transaction.atomic
def formula_update(
    *,
    formula_id: int,
    actor,
    effective_from: date | None = None,
    weights: dict | None = None,
    note: str | None = None,
) -> AssessmentFormula:
    """Change a version that has scored no sealed session (``weights`` replaces its
    points, rules left out by the defaults); ``SessionSealed`` for one that has."""
    body_id = _body_of(formula_id)
    _require_staff_of(actor, body_id)
    versions = _body_versions(body_id)
    current = next((v for v in versions if v.pk == formula_id), None)
    if current is None:  # deleted meanwhile
        raise NotFound()
    changed = AssessmentFormula(
        pk=current.pk,
        body_id=current.body_id,
        effective_from=effective_from or current.effective_from,
        weights=current.weights
        if weights is None
        else {**stored_weights(default_weights()), **_weights(weights)},
        note=current.note if note is None else note,
        created_at=current.created_at,
        created_by_id=current.created_by_id,
    )
    session = history_conflict(body_id, saving=changed, versions=versions)
    if session is not None:
        raise SessionSealed(history_error(session))
    return _save(changed)


@transaction.atomic
def formula_delete(*, formula_id: int, actor) -> None:
    """Remove a version that has scored no sealed session (``SessionSealed``
    otherwise: the sessions it scored would fall to another version)."""
    body_id = _body_of(formula_id)
    _require_staff_of(actor, body_id)
    versions = _body_versions(body_id)
    session = history_conflict(body_id, removing=formula_id, versions=versions)
    if session is not None:
        raise SessionSealed(history_error(session))
    AssessmentFormula.objects.filter(pk=formula_id).delete()
