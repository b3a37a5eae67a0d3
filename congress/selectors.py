"""Reads of the institution for pages and the API."""

from django.db.models import Q, QuerySet

from .models import CongressBody


def bodies_for(user) -> QuerySet[CongressBody]:
    """The congress bodies ``user`` belongs to, the one place that says so.

    The superuser: every body. Otherwise the bodies where the user is staff or
    leader (``accounts.Membership``), the body of the user's handling unit and the
    bodies of the congresses the user was elected to. Anyone else: none.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return CongressBody.objects.none()
    if user.is_superuser:
        return CongressBody.objects.all()
    ids = body_ids_for(user)
    if ids is None:  # no role anywhere
        return CongressBody.objects.none()
    return CongressBody.objects.filter(pk__in=ids)


def body_ids_for(user) -> frozenset[int] | None:
    """The ids of ``bodies_for(user)``, None for every body (the superuser; a user
    without any role, who reads as the public), from what the user's role caches
    already hold (the unit's body costs one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    ids = set(user.supervised_body_ids) | user.deputy_body_ids
    if user.unit_id is not None:
        ids.add(user.unit.body_id)
    # No role anywhere: the public, who read every body's published replies.
    return frozenset(ids) if ids else None


def staff_body_ids_for(user) -> frozenset[int] | None:
    """The ids of the bodies where ``user`` is congress staff, None for every body
    (the superuser): where they may write reference data. A leader, a clerk or a
    deputy of a body is not its staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    return frozenset(user.staff_body_ids)


def staff_bodies(user) -> QuerySet[CongressBody]:
    """The bodies of ``staff_body_ids_for(user)``."""
    ids = staff_body_ids_for(user)
    if ids is None:
        return CongressBody.objects.all()
    return CongressBody.objects.filter(pk__in=ids)


def overseen_bodies(user) -> QuerySet[CongressBody]:
    """The bodies below those ``user`` supervises (staff or leader of a parent
    body): the roll-up shows their figures read-only. Not the user's own bodies."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CongressBody.objects.none()
    if user.is_superuser:
        return CongressBody.objects.filter(parent__isnull=False)
    below: set[int] = set()
    frontier = set(user.supervised_body_ids)
    while frontier:
        children = set(
            CongressBody.objects.filter(parent__in=frontier).values_list(
                "pk", flat=True
            )
        )
        frontier = children - below
        below |= children
    return CongressBody.objects.filter(pk__in=below)


def in_bodies(ids, *, via: str = "") -> Q:
    """The condition "belongs to one of the bodies ``ids``" (None: any) on a model
    reached from its body by the lookup path ``via`` (e.g. ``"session__congress__"``)."""
    if ids is None:
        return Q()
    return Q(**{f"{via}body_id__in": ids})
