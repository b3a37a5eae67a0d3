"""Staff seal a session once its annual review is final, and reopen it with a
reason. While sealed, ``actions.require`` refuses every change to its suggestions
(``SessionSealed``); each seal and reopening is kept as a ``SessionSealing`` row."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.rules import require_staff
from common import clock
from common.errors import InvalidTransition, NotFound, SessionSealed
from congress.models import SealingAction, Session, SessionSealing

from ._shared import _text


def _lock_session(session_id, actor) -> Session:
    """The session, locked; ``NotFound`` too when it is not of a body the actor is
    staff of (another body's session is not the actor's to know of)."""
    try:
        session = Session.objects.select_for_update().get(pk=session_id)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not actor.is_staff_of(session.congress.body_id):
        raise NotFound()
    return session


@transaction.atomic
def session_seal(*, session_id: int, actor, reason: str = "") -> Session:
    """Seal the session's figures. A session still open for intake cannot be sealed:
    its figures cannot be final while suggestions still come in (staff first make
    the next session current)."""
    require_staff(actor)
    session = _lock_session(session_id, actor)
    if session.sealed_at is not None:
        raise SessionSealed(_("This session is already sealed."))
    if session.is_current:
        raise InvalidTransition(
            _(
                "The current session still takes suggestions and cannot be sealed; "
                "make the next session current first."
            )
        )
    now = clock.now()
    session.sealed_at = now
    session.sealed_by = actor
    session.save(update_fields=["sealed_at", "sealed_by"])
    SessionSealing.objects.create(
        session=session,
        action=SealingAction.SEAL,
        at=now,
        actor=actor,
        reason=_text(reason, "reason", required=False),
    )
    return session


@transaction.atomic
def session_reopen(*, session_id: int, actor, reason: str) -> Session:
    """Reopen a sealed session so that its suggestions can change again; the reason
    is required and kept."""
    require_staff(actor)
    session = _lock_session(session_id, actor)
    if session.sealed_at is None:
        raise InvalidTransition(_("This session is not sealed."))
    reason = _text(reason, "reason")
    session.sealed_at = None
    session.sealed_by = None
    session.save(update_fields=["sealed_at", "sealed_by"])
    SessionSealing.objects.create(
        session=session,
        action=SealingAction.REOPEN,
        at=clock.now(),
        actor=actor,
        reason=reason,
    )
    return session
