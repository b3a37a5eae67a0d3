"""Reads of the institution for pages and the API."""

from django.db.models import Q, QuerySet

from .models import Congress, CongressBody, HandlingUnit


def bodies_for(user) -> QuerySet[CongressBody]:
    """The congress bodies ``user`` belongs to, the one place that says so.

    Staff, leaders and the superuser: every body (until roles are held per body, see
    docs/architecture.md, "Congress bodies"). A unit's clerk: the body of the unit.
    A deputy: the bodies of the congresses they were elected to. Anyone else: none.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return CongressBody.objects.none()
    if getattr(user, "is_congress_staff", False) or getattr(user, "is_leader", False):
        return CongressBody.objects.all()
    of_unit = HandlingUnit.objects.filter(members=user).values("body")
    of_deputy = Congress.objects.filter(delegations__deputies__user=user).values("body")
    return CongressBody.objects.filter(Q(pk__in=of_unit) | Q(pk__in=of_deputy))
