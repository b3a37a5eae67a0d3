"""Who may import, and into which congress body."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.errors import InvalidInput
from congress.models import CongressBody
from congress.selectors import staff_bodies


def import_bodies(user):
    """The bodies ``user`` may import into: those where they are staff."""
    return staff_bodies(user).order_by("pk")


def import_body(user, body_id: int | None) -> CongressBody:
    """The body an import goes into: ``body_id`` among the caller's staff bodies,
    or their only one when left out. ``InvalidInput`` on ``body`` otherwise."""
    bodies = import_bodies(user)
    if body_id is not None:
        body = bodies.filter(pk=body_id).first()
        if body is None:
            raise InvalidInput(_("Choose one of your congress bodies."), field="body")
        return body
    mine = list(bodies[:2])
    if len(mine) != 1:
        raise InvalidInput(_("Choose the congress body."), field="body")
    return mine[0]
