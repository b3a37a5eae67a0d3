"""Who may do what. Each check raises ``NotPermitted`` (the role may never do this) or
``NotFound`` (the object is not the actor's to see), never says more than that."""

from django.utils.translation import gettext_lazy as _

from congress.models import Deputy

from .errors import NotFound, NotPermitted
from .models import Assignment, Suggestion


def require_staff(actor) -> None:
    if not actor.is_congress_staff:
        raise NotPermitted(_("Only congress staff may do this."))


def require_deputy(actor) -> Deputy:
    deputy = actor.deputy_profile
    if deputy is None:
        raise NotPermitted(_("Only deputies may do this."))
    return deputy


def can_see(actor, suggestion: Suggestion) -> bool:
    return Suggestion.objects.visible_to(actor).filter(pk=suggestion.pk).exists()


def require_visible(actor, suggestion: Suggestion) -> None:
    if not can_see(actor, suggestion):
        raise NotFound()


def require_lead_deputy(actor, suggestion: Suggestion) -> Deputy:
    """The actor must be the suggestion's lead deputy. Someone who may see it (a
    co-signer, staff) is told they may not; anyone else finds nothing."""
    deputy = actor.deputy_profile
    if deputy is not None and suggestion.lead_deputy_id == deputy.pk:
        return deputy
    require_visible(actor, suggestion)
    raise NotPermitted(_("Only the lead deputy may do this."))


def require_unit_member(actor, assignment: Assignment) -> None:
    """The actor must belong to the assignment's unit; another unit finds nothing."""
    if actor.is_active and actor.unit_id == assignment.unit_id:
        return
    if actor.is_congress_staff or actor.is_leader:
        raise NotPermitted(_("Only the handling unit may do this."))
    raise NotFound()
