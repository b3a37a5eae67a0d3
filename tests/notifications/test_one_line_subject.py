"""A suggestion title with a line break, written before titles were kept on one line
(or straight into the database), never breaks the e-mail: the subject is one line and
the copy is sent at the first attempt instead of failing on every retry."""

import pytest
from django.core import mail

from notifications import services
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import notify
from suggestions.models import Suggestion
from tests.factories import SuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "关于加强\r\n老旧小区\n改造的建议\u202e"


def _deliver_email(notification):
    email = notification.deliveries.get(channel=Channel.EMAIL)
    assert services.deliver(email.pk) is True
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        DeliveryStatus.SENT,
        1,
        "",
    )
    [message] = mail.outbox
    return message


def test_a_message_about_a_title_with_line_breaks_is_one_line():
    suggestion = SuggestionFactory()
    Suggestion.objects.filter(pk=suggestion.pk).update(title=TITLE)
    suggestion.refresh_from_db()
    [notification] = notify(
        recipients=[UserFactory()],
        kind="assigned",
        suggestion=suggestion,
        params={"title": suggestion.title, "role": "Lead unit", "due": "2026-06-10"},
    )
    assert "\n" not in notification.title and "\r" not in notification.title
    assert "老旧小区 改造" in notification.title
    message = _deliver_email(notification)
    assert message.subject == notification.title


def test_an_old_message_with_a_line_break_in_its_title_is_delivered():
    [notification] = notify(
        recipients=[UserFactory()],
        kind="assigned",
        params={"title": "t", "role": "Lead unit", "due": "2026-06-10"},
    )
    Notification.objects.filter(pk=notification.pk).update(title=TITLE)
    message = _deliver_email(notification)
    assert message.subject == "关于加强 老旧小区 改造的建议"
