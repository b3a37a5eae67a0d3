"""Writes to accounts (the API's; in the browser, staff use the admin site)."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from congress.models import Deputy, HandlingUnit

from . import rules
from .models import LEADER_GROUP, STAFF_GROUP, Role, User


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
) -> User:
    """A new account with one role: staff and leader by group, a unit member
    linked to ``unit``, a deputy linked to ``deputy`` (which must have no account)."""
    rules.require_staff(actor)
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    if role == Role.UNIT and unit is None:
        raise InvalidInput(_("A unit account needs its unit."), field="unit")
    if role == Role.DEPUTY and deputy is None:
        raise InvalidInput(_("A deputy account needs its deputy."), field="deputy")
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
    if role == Role.STAFF:
        user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    elif role == Role.LEADER:
        user.groups.add(Group.objects.get_or_create(name=LEADER_GROUP)[0])
    elif role == Role.DEPUTY:
        linked = Deputy.objects.select_for_update().get(pk=deputy.pk)
        if linked.user_id is not None:
            raise InvalidInput(_("This deputy already has an account."), field="deputy")
        linked.user = user
        linked.save(update_fields=["user"])
    return user


@transaction.atomic
def account_set_active(*, actor, user_id: int, is_active: bool) -> User:
    """Switch an account on or off; staff cannot lock themselves out."""
    rules.require_staff(actor)
    user = User.objects.select_for_update().get(pk=user_id)
    if user.pk == actor.pk and not is_active:
        raise InvalidInput(
            _("You cannot deactivate your own account."), field="is_active"
        )
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    return user
