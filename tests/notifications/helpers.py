"""Helpers of the notification tests (plain functions; the fixtures are in conftest)."""

import datetime as dt

from django.utils import formats, translation

from notifications.models import Notification


def inbox(user, kind: str | None = None) -> list[Notification]:
    """The user's in-app messages (of ``kind``), oldest first."""
    messages = Notification.objects.filter(recipient=user).order_by("pk")
    if kind:
        messages = messages.filter(kind=kind)
    return list(messages)


def kinds(user) -> list[str]:
    """The kinds of the user's messages, oldest first."""
    return [n.kind for n in inbox(user)]


def parse_sms_log(text: str) -> list[tuple[str, str]]:
    """``LogSmsBackend``'s file as (phone, text) pairs; each entry is a
    ``[time] to PHONE`` line, the text, and a blank line."""
    messages = []
    for entry in text.split("\n\n"):
        if not entry.strip():
            continue
        head, _, body = entry.partition("\n")
        messages.append((head.split(" to ", 1)[1], body))
    return messages


def as_read_by(user, value) -> str:
    """``value`` as ``user`` reads it: a date in their language's format, a lazy label
    translated to their language (``translation.override``, as the code must do)."""
    with translation.override(user.language):
        if isinstance(value, dt.date):
            return formats.date_format(value)
        return str(value)
