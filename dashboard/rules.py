"""Whose dashboard a user may open (docs/architecture.md, "Congress bodies"): the
one place the dashboard's pages, downloads and API ask it.

- Staff and leaders of a body open its dashboard (figures, league table, trend,
  review, downloads) and follow its figures to the suggestion lists.
- Staff and leaders of a parent body open the dashboards of the bodies below it
  read-only (``congress.selectors.overseen_bodies``): the figures, never the lists
  behind them (their lists show only their own bodies' suggestions), nor sealing.
- Only staff of a session's body seal or reopen it.
- Any other body's id answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from congress.models import CongressBody
from congress.selectors import overseen_bodies


@dataclass(frozen=True)
class DashboardBodies:
    """The bodies whose dashboards a user may open, in the order they were set up:
    ``own`` (staff or leader of them) and ``overseen`` (below those, read-only)."""

    own: tuple[CongressBody, ...]
    overseen: tuple[CongressBody, ...]

    @property
    def all(self) -> tuple[CongressBody, ...]:
        return tuple(sorted(self.own + self.overseen, key=lambda b: b.pk))

    def get(self, body_id: int | None) -> CongressBody | None:
        return next((b for b in self.all if b.pk == body_id), None)

    def is_own(self, body_id: int | None) -> bool:
        return any(b.pk == body_id for b in self.own)

    @property
    def default(self) -> CongressBody | None:
        """The user's first own body."""
        return self.own[0] if self.own else None

    @property
    def parents(self) -> tuple[CongressBody, ...]:
        """The own bodies with a body below them: those the user may roll up."""
        parent_ids = {b.parent_id for b in self.all}
        return tuple(b for b in self.own if b.pk in parent_ids)


def dashboard_bodies(user) -> DashboardBodies:
    """The bodies whose dashboards ``user`` may open (none for anyone but staff,
    leaders and the superuser). A few queries: the user's roles, one per level of
    bodies below them, and the bodies themselves."""
    if user is None or not user.is_authenticated or not user.is_active:
        return DashboardBodies((), ())
    if user.is_superuser:
        return DashboardBodies(tuple(CongressBody.objects.order_by("pk")), ())
    own_ids = user.supervised_body_ids
    if not own_ids:
        return DashboardBodies((), ())
    bodies = list(
        CongressBody.objects.filter(
            Q(pk__in=own_ids) | Q(pk__in=overseen_bodies(user).values("pk"))
        ).order_by("pk")
    )
    return DashboardBodies(
        tuple(b for b in bodies if b.pk in own_ids),
        tuple(b for b in bodies if b.pk not in own_ids),
    )


def may_seal(user, session) -> bool:
    """Sealing and reopening a session: staff of its body only."""
    return user.is_staff_of(session.congress.body_id)
