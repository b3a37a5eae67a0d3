"""Writes to accounts (the API's; in the browser, staff use the admin site)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.services import record_current
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from congress.models import CongressBody, Deputy, HandlingUnit

from . import rules, tokens
from .models import BodyRole, Membership, Role, User, accounts_of_bodies


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    name: str = "",
    email: str = "",
    unit: HandlingUnit | None = None,
    deputy: Deputy | None = None,
    body: CongressBody | None = None,
) -> User:
    """A new account with one role: staff and leader of ``body`` (a
    ``Membership``; the actor's own body when they are staff of one only), a unit
    member linked to ``unit``, a deputy linked to ``deputy`` (which must have no
    account). The actor must be staff of the body the account is made for."""
    rules.require_staff(actor)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if role == Role.UNIT and unit is None:
        raise InvalidInput(_("A unit account needs its unit."), field="unit")
    if role == Role.DEPUTY and deputy is None:
        raise InvalidInput(_("A deputy account needs its deputy."), field="deputy")
    if role in BodyRole.values:
        if body is None and len(actor.staff_body_ids) == 1 and not actor.is_superuser:
            body = CongressBody.objects.get(pk=next(iter(actor.staff_body_ids)))
        if body is None:
            raise InvalidInput(_("Choose the congress body."), field="body")
        if not actor.is_staff_of(body.pk):
            raise InvalidInput(
                _("You are not congress staff of this body."), field="body"
            )
    elif role == Role.UNIT and not actor.is_staff_of(unit.body_id):
        raise InvalidInput(_("No such handling unit."), field="unit")
    elif role == Role.DEPUTY:
        congress = deputy.delegation.congress
        if not actor.is_staff_of(congress.body_id):
            raise InvalidInput(_("No such deputy."), field="deputy")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This username is taken."), field="username")
    user = User(
        username=username,
        name=name,
        email=email,
        unit=unit if role == Role.UNIT else None,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    if role in BodyRole.values:
        Membership.objects.create(user=user, body=body, role=role)
    elif role == Role.DEPUTY:
        linked = Deputy.objects.select_for_update().get(pk=deputy.pk)
        if linked.user_id is not None:
            raise InvalidInput(_("This deputy already has an account."), field="deputy")
        linked.user = user
        linked.save(update_fields=["user"])
    return user


def _active_staff():
    """Active congress staff: superusers and members of the staff group."""
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(pk__in=Membership.objects.filter(role=BodyRole.STAFF).values("user"))
    )


def account_check_deactivation(*, actor, user: User) -> None:
    """Refuse to switch ``user`` off when that would lock the administration out:
    only a superuser deactivates a superuser (``NotPermitted``), and the last
    active superuser or the last active congress staff account stays
    (``InvalidTransition``). The admin's user form asks this too."""
    if not user.is_active:
        return
    if user.is_superuser and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only a superuser may deactivate a superuser."))
    others = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if user.is_superuser and not others.filter(is_superuser=True).exists():
        raise InvalidTransition(
            _("This is the last active superuser; it cannot be deactivated.")
        )
    is_staff_account = (
        user.is_superuser
        or Membership.objects.filter(user=user, role=BodyRole.STAFF).exists()
    )
    if is_staff_account and not _active_staff().exclude(pk=user.pk).exists():
        raise InvalidTransition(
            _(
                "This is the last active congress staff account; it cannot be "
                "deactivated."
            )
        )


@transaction.atomic
def account_set_active(*, actor, user_id: int, is_active: bool) -> User:
    """Switch an account on or off; staff cannot lock themselves out, nor the
    administration (``account_check_deactivation``)."""
    rules.require_staff(actor)
    if not is_active:
        # Lock every active staff account (in id order) before counting them, so
        # two deactivations at once cannot both leave "another one".
        list(
            User.objects.select_for_update()
            .filter(pk__in=_active_staff().values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    user = (
        User.objects.select_for_update()
        .filter(accounts_of_bodies(actor), pk=user_id)
        .first()
    )
    if user is None:
        raise NotFound(_("No such account."))
    if user.pk == actor.pk and not is_active:
        raise InvalidInput(
            _("You cannot deactivate your own account."), field="is_active"
        )
    if not is_active:
        account_check_deactivation(actor=actor, user=user)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def account_revoke_tokens(*, actor, user_id: int) -> User:
    """End every API token of an account (a lost laptop, a leaked script): its
    clients must sign in again. Staff only; only a superuser touches a superuser's
    tokens, as only a superuser may deactivate one. The security log records it."""
    rules.require_staff(actor)
    user = (
        User.objects.select_for_update()
        .filter(accounts_of_bodies(actor), pk=user_id)
        .first()
    )
    if user is None:
        raise NotFound(_("No such account."))
    if user.is_superuser and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only a superuser may revoke a superuser's tokens."))
    revoked = tokens.tokens_revoke_all(user_id=user.pk)
    record_current(
        "tokens_revoked",
        actor=actor,
        target=user.get_username(),
        user_id=user.pk,
        tokens=revoked,
    )
    return user
