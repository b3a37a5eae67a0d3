"""Who may do what. Each check raises ``NotPermitted`` (the role may never do this) or
``NotFound`` (the object is not the actor's to see), never says more than that."""

from django.utils.translation import gettext_lazy as _

from accounts.rules import has_role, require_deputy, require_staff
from common.errors import NotFound, NotPermitted
from congress.models import Deputy

from .models import Assignment, Status, Suggestion

# The role checks every app shares, offered here beside the suggestion's own.
__all__ = [
    "can_see",
    "may_correct_promise",
    "may_print_assignment_letter",
    "may_print_evaluation_form",
    "may_report_promise",
    "may_see_contacts",
    "require_deputy",
    "require_lead_deputy",
    "require_promise_corrector",
    "require_promise_reporter",
    "require_staff",
    "require_staff_on",
    "require_supervisor_on",
    "require_unit_member",
    "require_visible",
    "takes_part",
]


def require_staff_on(actor, suggestion: Suggestion) -> None:
    """Staff of the suggestion's congress body may act on every suggestion of it
    but another deputy's draft, which they do not see (docs/domain.md): that
    answers as any object out of reach does. Staff of another body who see it
    (as its deputy, as its unit) are told they may not; the rest find nothing."""
    require_staff(actor)
    if not actor.is_staff_of(suggestion.body_id):
        if can_see(actor, suggestion):
            raise NotPermitted(_("Only the congress staff of its body may do this."))
        raise NotFound()
    if (
        suggestion.status == Status.DRAFT
        and suggestion.lead_deputy_id not in actor.deputy_ids
    ):
        raise NotFound()


def require_supervisor_on(actor, suggestion: Suggestion) -> None:
    """A leader or congress staff of the suggestion's body, who supervise the
    handling (督办): they see every suggestion of it but drafts. Anyone else who
    sees it (its deputies, its units) is told they may not; the rest find
    nothing."""
    if has_role(actor, "supervises") and actor.supervises(suggestion.body_id):
        if suggestion.status == Status.DRAFT:
            raise NotFound()
        return
    if not can_see(actor, suggestion):
        raise NotFound()
    raise NotPermitted(_("Only leaders and the congress staff may do this."))


def can_see(actor, suggestion: Suggestion) -> bool:
    return Suggestion.objects.visible_to(actor).filter(pk=suggestion.pk).exists()


def takes_part(actor, suggestion: Suggestion) -> bool:
    """Whether ``actor`` takes part in the suggestion (``models.involvement_of``:
    staff, leaders, its deputies, its units), and so reads what is not public of
    it. A suggestion the selectors loaded for ``actor`` carries the answer
    (``caller_takes_part``); otherwise it is asked of the database."""
    known = getattr(suggestion, "caller_takes_part", None)
    if known is not None:
        return bool(known)
    return Suggestion.objects.involving(actor).filter(pk=suggestion.pk).exists()


def may_see_contacts(actor, suggestion: Suggestion) -> bool:
    """Who reads a suggestion's contact records (面商): those who take part in it.
    The detail page shows them and the API's detail answers them by this alone."""
    return takes_part(actor, suggestion)


def may_print_assignment_letter(actor, unit) -> bool:
    """Who reads a unit's 交办函: the staff of the unit's congress body, who send it,
    and the unit's own clerks, who receive it. Nobody else learns it exists."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_staff_of(unit.body_id) or (
        actor.is_unit_member and actor.unit_id == unit.pk
    )


def may_print_evaluation_form(actor, suggestion: Suggestion) -> bool:
    """Who prints a suggestion's 征询意见表: those who take part in it (its body's
    staff and leaders, its deputies, its units), as ``selectors.
    evaluation_form_facts`` reads it."""
    return takes_part(actor, suggestion)


def require_visible(actor, suggestion: Suggestion) -> None:
    if not can_see(actor, suggestion):
        raise NotFound()


def require_lead_deputy(
    actor, suggestion: Suggestion, *, visible: bool | None = None
) -> Deputy:
    """The actor must be the suggestion's lead deputy. Someone who may see it (a
    co-signer, staff) is told they may not; anyone else finds nothing. ``visible``
    spares the query when the caller already knows whether the actor sees it."""
    deputy = next(
        (
            d
            for d in has_role(actor, "deputy_profiles") or ()
            if d.pk == suggestion.lead_deputy_id
        ),
        None,
    )
    if deputy is not None:
        return deputy
    if visible is None:
        visible = can_see(actor, suggestion)
    if not visible:
        raise NotFound()
    raise NotPermitted(_("Only the lead deputy may do this."))


def require_unit_member(actor, assignment: Assignment) -> None:
    """The actor must belong to the assignment's unit; another unit finds nothing."""
    if actor.is_active and has_role(actor, "unit_id") == assignment.unit_id:
        return
    if has_role(actor, "supervises") and actor.supervises(
        assignment.suggestion.body_id
    ):
        raise NotPermitted(_("Only the handling unit may do this."))
    raise NotFound()


def may_report_promise(actor, promise) -> bool:
    """The rule: only a member of the lead unit that made the promise (the unit of
    the class-B reply's assignment) reports on it. No query."""
    unit_id = promise.reply.assignment.unit_id
    return bool(actor.is_active and has_role(actor, "unit_id") == unit_id)


def may_correct_promise(actor, promise) -> bool:
    """The rule: a report once made is corrected only by the congress staff of the
    suggestion's body. No query."""
    body_id = promise.reply.assignment.suggestion.body_id
    return bool(has_role(actor, "is_congress_staff") and actor.is_staff_of(body_id))


def require_promise_reporter(actor, promise) -> None:
    """Only a member of the lead unit that made the promise (the unit of the class-B
    reply's assignment) reports on it. Those who take part in the suggestion (staff,
    leaders, its deputies, a co-unit) are told they may not; anyone else finds
    nothing."""
    if may_report_promise(actor, promise):
        return
    if takes_part(actor, promise.reply.assignment.suggestion):
        raise NotPermitted(_("Only the lead unit that made the promise reports on it."))
    raise NotFound()


def require_promise_corrector(actor, promise) -> None:
    """A report once made is corrected only by the congress staff of the
    suggestion's body (the unit reports once; a mistake goes through staff, who
    check it against the facts). Those who take part in the suggestion (the unit
    that reported, leaders, its deputies) are told they may not; anyone else finds
    nothing."""
    if may_correct_promise(actor, promise):
        return
    if takes_part(actor, promise.reply.assignment.suggestion):
        raise NotPermitted(
            _("The report has been made; only the congress staff may correct it.")
        )
    raise NotFound()
