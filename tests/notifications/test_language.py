"""Each message is written in its recipient's language (issue 5: "message texts in
Chinese and English, in the recipient's language") — every part of it, dates and
labels included, whatever language the actor or the worker happens to use.

The Chinese expectations are rendered with ``translation.override("zh-hans")`` from the
English source strings, so they hold before and after the Chinese catalogue exists.
"""

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext

from notifications import reminders
from suggestions import services
from suggestions.models import Outcome, Status
from tests.factories import AssignmentFactory, StaffFactory, UnitMemberFactory

from .helpers import inbox

TITLE = "关于加快老旧小区改造的建议"
ASSIGNED = (
    "New assignment: %(title)s",
    "Your unit has been assigned “%(title)s” as the lead unit. Please acknowledge"
    " it, contact the deputy and reply by %(due)s (the reply deadline).",
)


def in_chinese(source: tuple[str, str], **values) -> tuple[str, str]:
    """The title and body a zh-hans reader must get: the source strings and every
    value translated and formatted under ``translation.override("zh-hans")``."""
    with translation.override("zh-hans"):
        text = {
            k: formats.date_format(v) if isinstance(v, dt.date) else str(v)
            for k, v in values.items()
        }
        return gettext(source[0]) % text, gettext(source[1]) % text


def test_english_reader_gets_english_from_a_chinese_speaking_actor(journey):
    """An English-speaking clerk reads the assignment wholly in English — date and
    role included — though the staff member acted in Chinese."""
    english = UnitMemberFactory(unit=journey.unit, language="en")
    journey.to(Status.REGISTERED)
    with translation.override("zh-hans"):
        journey.assign()

    [message] = inbox(english, "assigned")
    assert message.title == f"New assignment: {TITLE}"
    assert message.body == (
        f"Your unit has been assigned “{TITLE}” as the lead unit. Please acknowledge"
        " it, contact the deputy and reply by June 10, 2026 (the reply deadline)."
    )


def test_chinese_reader_gets_chinese_from_an_english_speaking_actor(journey):
    """A Chinese-speaking clerk reads the assignment as zh-hans renders it, though
    the staff member acted in English."""
    journey.clerk.language = "zh-hans"
    journey.clerk.save()
    journey.to(Status.REGISTERED)
    with translation.override("en"):
        journey.assign()

    [message] = inbox(journey.clerk, "assigned")
    assert (message.title, message.body) == in_chinese(
        ASSIGNED,
        title=TITLE,
        due=dt.date(2026, 6, 10),
    )
    assert "2026年6月10日" in message.body


def test_one_event_reaches_each_reader_in_their_language(journey):
    """One reply, two deputies: each reads outcome and rating deadline in their own
    language."""
    journey.deputy.language = "en"
    journey.deputy.save()
    journey.create()
    services.suggestion_cosign(
        suggestion_id=journey.suggestion.pk, actor=journey.cosigner
    )
    for step in ("submit", "register", "assign"):
        getattr(journey, step)()
    journey.reply()

    [english] = inbox(journey.deputy, "replied")
    assert english.title == f"Reply received: {TITLE}"
    assert english.body == (
        f"{journey.unit} has replied to “{TITLE}” (A: resolved or basically"
        " resolved). Please rate the reply by March 31, 2026."
    )
    # The co-signer does not rate: told that the lead deputy does.
    [chinese] = inbox(journey.cosigner, "replied_cosigner")
    assert (chinese.title, chinese.body) == in_chinese(
        (
            "Reply received: %(title)s",
            "%(unit)s has replied to “%(title)s” (%(outcome)s). The reply has been"
            " delivered to the lead deputy, who rates it; you need not rate it.",
        ),
        title=TITLE,
        unit=journey.unit,
        outcome=Outcome.RESOLVED.label,
    )


def test_reminders_are_written_in_each_members_language(db, settings):
    """The sweep (run by a worker in the default language) writes each unit member's
    reminder in that member's language."""
    assignment = AssignmentFactory(due_at=dt.date(2026, 3, 8))
    english = UnitMemberFactory(unit=assignment.unit, language="en")
    chinese = UnitMemberFactory(unit=assignment.unit, language="zh-hans")

    with translation.override(settings.LANGUAGE_CODE):
        reminders.sweep(today=dt.date(2026, 3, 1))

    [to_english] = inbox(english)
    title = assignment.suggestion.title
    assert to_english.title == f"Reminder: due in 7 days: {title}"
    assert to_english.body == (
        f"Your unit's reply to “{title}” is due by March 8, 2026 (7 days left)."
        " Please reply in time, or ask the congress staff for an extension."
    )
    [to_chinese] = inbox(chinese)
    assert (to_chinese.title, to_chinese.body) == in_chinese(
        (
            "Reminder: due in %(days)s days: %(title)s",
            "Your unit's reply to “%(title)s” is due by %(due)s (%(days)s days left)."
            " Please reply in time, or ask the congress staff for an extension.",
        ),
        title=title,
        due=dt.date(2026, 3, 8),
        days=7,
    )


def test_digest_lists_dates_in_the_readers_format(db):
    """The weekly overdue digest formats its items' dates for each reader."""
    assignment = AssignmentFactory(due_at=dt.date(2026, 3, 2))
    suggestion = assignment.suggestion
    suggestion.due_at = assignment.due_at
    suggestion.save()
    english = StaffFactory(language="en")
    chinese = StaffFactory(language="zh-hans")

    reminders.send_digests(today=dt.date(2026, 3, 10))

    [to_english] = inbox(english, "digest_overdue")
    assert to_english.title == "Weekly digest: 1 overdue suggestions"
    assert "March 2, 2026" in to_english.body
    [to_chinese] = inbox(chinese, "digest_overdue")
    with translation.override("zh-hans"):
        assert formats.date_format(dt.date(2026, 3, 2)) in to_chinese.body
