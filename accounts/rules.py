"""Role checks that every app's rules start from. Each raises ``NotPermitted``
(the role may never do this)."""

from django.utils.translation import gettext_lazy as _

from common.errors import NotPermitted


def has_role(actor, role: str):
    """A role attribute of the actor; an ``AnonymousUser`` (the public) has none of
    ``accounts.User``'s, and must be refused, not crashed on."""
    return getattr(actor, role, None)


def require_staff(actor) -> None:
    if not has_role(actor, "is_congress_staff"):
        raise NotPermitted(_("Only congress staff may do this."))


def require_deputy(actor, *, congress_id: int | None = None):
    """The actor's deputy record: the one in the congress ``congress_id`` when the
    actor was elected to it, else the actor's first (``User.deputy_profile``);
    refused unless the actor is a deputy."""
    deputy = has_role(actor, "deputy_profile")
    if deputy is None:
        raise NotPermitted(_("Only deputies may do this."))
    if congress_id is not None:
        return actor.deputy_in(congress_id) or deputy
    return deputy
