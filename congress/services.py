"""Writes to the congress's reference data that carry a rule of their own."""

from django.db import transaction

from .models import Session


def make_room_for_current(*, congress_id: int, session_id: int | None = None) -> None:
    """A congress has one current session (the database refuses two): unmark the
    congress's current session unless it is ``session_id``. Call it inside the
    transaction that then saves the session marked current."""
    others = Session.objects.select_for_update().filter(
        congress_id=congress_id, is_current=True
    )
    if session_id is not None:
        others = others.exclude(pk=session_id)
    others.update(is_current=False)


@transaction.atomic
def session_save(*, session: Session) -> Session:
    """Save ``session``; marking it current moves the mark from the congress's
    other session."""
    if session.is_current:
        make_room_for_current(congress_id=session.congress_id, session_id=session.pk)
    session.save()
    return session
