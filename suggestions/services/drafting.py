"""Deputies draft, edit, submit, withdraw and co-sign suggestions."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput
from congress.models import Deputy, Session

from .. import actions, rules, workflow
from ..models import (
    Category,
    CoSignature,
    Suggestion,
)
from ..signals import announce
from ._shared import (
    TITLE_MAX,
    _category,
    _congress_deputies,
    _hand_in,
    _invite,
    _lock_open_session,
    _lock_suggestion,
    _text,
)

# --- deputies: drafting and submitting ----------------------------------------------


@transaction.atomic
def suggestion_create(
    *,
    actor,
    session: Session,
    title: str,
    body: str,
    category: Category | int | None = None,
    co_signers: Sequence[int | Deputy] = (),
) -> Suggestion:
    """A new draft led by the acting deputy, with co-signers invited."""
    deputy = rules.require_deputy(
        actor, congress_id=session.congress_id if session is not None else None
    )
    session = _open_session(session, deputy)
    suggestion = Suggestion(
        session=session,
        title=_text(title, "title", max_length=TITLE_MAX, one_line=True),
        body=_text(body, "body"),
        category=_category(category, session_id=session.pk),
        lead_deputy=deputy,
        created_at=clock.now(),
    )
    invited = _congress_deputies(session, co_signers, lead=deputy)
    suggestion.save()
    _invite(suggestion, invited)
    workflow.move(suggestion, "create", actor=actor)
    return suggestion


_UNSET = object()
# The longest reason a deputy gives for declining to co-sign.
REASON_MAX = 500


def _open_session(session: Session | None, deputy: Deputy) -> Session:
    """The session a deputy's draft goes to: of their own congress and open for
    intake (``_lock_open_session``)."""
    if session is None or session.congress_id != deputy.delegation.congress_id:
        raise InvalidInput(_("Choose a session of your own congress."), field="session")
    return _lock_open_session(session)


@transaction.atomic
def suggestion_update(
    *,
    suggestion_id: int,
    actor,
    title: str | None = None,
    body: str | None = None,
    category: Category | int | object | None = _UNSET,
    co_signers: Sequence[int | Deputy] | None = None,
    session: Session | None = None,
) -> Suggestion:
    """Edit a draft; ``co_signers`` replaces the list of invitations; ``session``
    moves the draft, only to a session open for intake."""
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "edit", suggestion)
    changed = []
    if session is not None and session.pk != suggestion.session_id:
        suggestion.session = _open_session(session, suggestion.lead_deputy)
        changed.append("session")
    if title is not None:
        suggestion.title = _text(title, "title", max_length=TITLE_MAX, one_line=True)
        changed.append("title")
    if body is not None:
        suggestion.body = _text(body, "body")
        changed.append("body")
    if category is not _UNSET:
        suggestion.category = _category(category, session_id=suggestion.session_id)
        changed.append("category")
    if co_signers is not None:
        _replace_invitations(suggestion, co_signers)
        changed.append("co_signers")
    suggestion.save()
    workflow.move(suggestion, "edit", actor=actor, data={"fields": changed})
    return suggestion


def _replace_invitations(suggestion: Suggestion, co_signers) -> None:
    """The invitations become ``co_signers``. A declined invitation stays on record
    while its deputy is not chosen again (the form does not offer it as chosen);
    choosing the deputy again invites them anew."""
    wanted = _congress_deputies(
        suggestion.session, co_signers, lead=suggestion.lead_deputy
    )
    wanted_ids = {d.pk for d in wanted}
    suggestion.cosignatures.exclude(deputy_id__in=wanted_ids).filter(
        declined_at__isnull=True
    ).delete()
    existing = dict(suggestion.cosignatures.values_list("deputy_id", "declined_at"))
    again = [d for d in wanted if existing.get(d.pk) is not None]
    if again:
        suggestion.cosignatures.filter(deputy__in=again).update(
            declined_at=None, invited_at=clock.now()
        )
        announce("cosign_invited", suggestion=suggestion, deputies=again)
    _invite(suggestion, [d for d in wanted if d.pk not in existing])


@transaction.atomic
def suggestion_submit(*, suggestion_id: int, actor) -> Suggestion:
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "submit", suggestion)
    _hand_in(suggestion, "submit", actor=actor)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion_id: int, actor, reason: str = "") -> Suggestion:
    suggestion = _lock_suggestion(suggestion_id)
    actions.require(actor, "withdraw", suggestion)
    workflow.move(
        suggestion,
        "withdraw",
        actor=actor,
        note=_text(reason, "reason", required=False),
    )
    suggestion.closed_at = clock.now()
    suggestion.save(update_fields=["status", "closed_at", "updated_at"])
    return suggestion


@transaction.atomic
def suggestion_cosign(*, suggestion_id: int, actor) -> Suggestion:
    """The invited deputy confirms; only then do they count as a co-signer."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_deputy(actor)
    invitation = (
        CoSignature.objects.select_for_update()
        .filter(suggestion=suggestion, deputy_id__in=actor.deputy_ids)
        .first()
    )
    deputy = invitation.deputy if invitation is not None else None
    actions.require(actor, "cosign", suggestion, invitation=invitation)
    invitation.signed_at = clock.now()
    invitation.save(update_fields=["signed_at"])
    workflow.move(suggestion, "cosign", actor=actor, data={"deputy": deputy.pk})
    return suggestion


@transaction.atomic
def suggestion_decline_cosign(
    *, suggestion_id: int, actor, reason: str = ""
) -> Suggestion:
    """The invited deputy declines to co-sign (谢绝附议), optionally saying why:
    the invitation is no longer pending and never counts; the lead deputy is told
    and may invite them again."""
    suggestion = _lock_suggestion(suggestion_id)
    rules.require_deputy(actor)
    invitation = (
        CoSignature.objects.select_for_update()
        .filter(suggestion=suggestion, deputy_id__in=actor.deputy_ids)
        .first()
    )
    deputy = invitation.deputy if invitation is not None else None
    actions.require(actor, "decline", suggestion, invitation=invitation)
    reason = _text(reason, "reason", required=False, max_length=REASON_MAX)
    invitation.declined_at = clock.now()
    invitation.save(update_fields=["declined_at"])
    workflow.move(
        suggestion, "decline", actor=actor, note=reason, data={"deputy": deputy.pk}
    )
    announce("cosign_declined", suggestion=suggestion, deputy=deputy, reason=reason)
    return suggestion
