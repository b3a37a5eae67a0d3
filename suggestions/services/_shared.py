"""What the services of every stage share: locking in the fixed order, reading
the input, the handling rules."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from common import clock, text
from common.errors import InvalidInput, NotFound
from congress.models import Deputy, HandlingRules, HandlingUnit, Session

from .. import deadlines, workflow
from ..models import (
    Assignment,
    Category,
    CoSignature,
    Suggestion,
)
from ..signals import announce

TITLE_MAX = Suggestion._meta.get_field("title").max_length


# --- helpers -------------------------------------------------------------------------


def _lock_suggestion(suggestion_id) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _lock_assignment(assignment_id) -> tuple[Suggestion, Assignment]:
    """Lock the assignment's suggestion, then the assignment (the fixed lock order)."""
    try:
        suggestion_id = (
            Assignment.objects.filter(pk=assignment_id)
            .values_list("suggestion_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        raise NotFound() from None
    if suggestion_id is None:
        raise NotFound()
    suggestion = _lock_suggestion(suggestion_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    # The checks read the suggestion through the assignment: the locked row.
    assignment.suggestion = suggestion
    return suggestion, assignment


def _lock_open_session(session: Session) -> Session:
    """``session`` read under a lock (so that a seal cannot slip in between) and
    open for intake (``Session.accepts_suggestions``), else ``InvalidInput`` on
    ``session`` naming the session open for suggestions."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.accepts_suggestions:
        raise InvalidInput(
            _("This session does not accept suggestions; choose %(open)s.")
            % {"open": _open_sessions_named(session.congress_id)},
            field="session",
        )
    return session


def _open_sessions_named(congress_id: int) -> str:
    names = [
        str(s)
        for s in Session.objects.accepting_suggestions()
        .filter(congress_id=congress_id)
        .select_related("congress__body")
    ]
    return "、".join(names) if names else _("the session open for suggestions")


def _hand_in(suggestion: Suggestion, action: str, *, actor, note="", data=None):
    """The one way a suggestion is handed in (draft → submitted): by its deputy
    (``submit``) or entered for them by staff (``enter-on-behalf``). The caller
    holds the row lock."""
    workflow.move(suggestion, action, actor=actor, note=note, data=data)
    suggestion.submitted_at = clock.now()
    suggestion.save(update_fields=["status", "submitted_at", "updated_at"])


def _rules(suggestion: Suggestion) -> HandlingRules:
    return deadlines.rules_for(suggestion.session.congress_id)


def _text(
    value, field: str, *, required: bool = True, max_length=None, one_line=False
) -> str:
    """Text of several lines (a body, a reason), or of ``one_line`` (a title, a
    name), cleaned by ``common.text``: a line break in a title becomes a space, and
    control, bidi and zero-width characters are removed (see there why)."""
    if not isinstance(value, str | type(None)):
        raise InvalidInput(_("Enter text."), field=field)
    clean = text.single_line if one_line else text.multi_line
    cleaned = clean(value or "")
    if required and not cleaned:
        raise InvalidInput(_("This field is required."), field=field)
    if max_length and len(cleaned) > max_length:
        raise InvalidInput(
            _("At most %(n)d characters.") % {"n": max_length}, field=field
        )
    return cleaned


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def _congress_deputies(session: Session, deputy_ids, *, lead: Deputy) -> list[Deputy]:
    ids = []
    for value in deputy_ids or ():
        deputy_id = getattr(value, "pk", value)
        if not isinstance(deputy_id, int) or isinstance(deputy_id, bool):
            raise InvalidInput(_("Unknown deputy."), field="co_signers")
        if deputy_id not in ids:
            ids.append(deputy_id)
    if lead.pk in ids:
        raise InvalidInput(
            _("The lead deputy cannot also co-sign."), field="co_signers"
        )
    deputies = list(
        Deputy.objects.filter(
            pk__in=ids, active=True, delegation__congress_id=session.congress_id
        )
    )
    if len(deputies) != len(ids):
        raise InvalidInput(
            _("Co-signers must be active deputies of the same congress."),
            field="co_signers",
        )
    return deputies


def _invite(suggestion: Suggestion, deputies: Sequence[Deputy]) -> None:
    now = clock.now()
    CoSignature.objects.bulk_create(
        [CoSignature(suggestion=suggestion, deputy=d, invited_at=now) for d in deputies]
    )
    announce("cosign_invited", suggestion=suggestion, deputies=deputies)


def _unit(value, field: str, *, suggestion: Suggestion) -> HandlingUnit:
    """An active handling unit of the suggestion's congress body (another body's
    units are not there to choose)."""
    unit_id = getattr(value, "pk", value)
    try:
        return HandlingUnit.objects.get(
            pk=unit_id, active=True, body_id=suggestion.body_id
        )
    except (HandlingUnit.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("Choose an active handling unit."), field=field) from None


def _category(value, *, session_id: int) -> Category | None:
    """A category given as an object or an id (None stays None), one of the
    congress body of the session ``session_id``: another body's is refused like an
    unknown one (each body keeps its own list)."""
    if value is None:
        return None
    try:
        return Category.objects.get(
            pk=getattr(value, "pk", value), body__congresses__sessions=session_id
        )
    except (Category.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("Choose a category."), field="category") from None


def _supervising_leader(user, key_supervised, *, suggestion: Suggestion):
    """The leader who supervises a key suggestion (none unless it is key): a
    leader of the suggestion's congress body."""
    if user is not None and suggestion.body_id not in getattr(
        user, "leader_body_ids", ()
    ):
        raise InvalidInput(
            _("The supervising leader must have the leader role."),
            field="supervising_leader",
        )
    return user if key_supervised else None
