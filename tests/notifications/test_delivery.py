"""Channels and delivery: the inbox always, an e-mail or SMS copy only when the user
asked for it and can receive it, each copy sent once, failures retried a bounded
number of times, and the broker's absence never blocking the change."""

import contextlib
import datetime as dt
import socket
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.celery import app as celery_app
from notifications import services, tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from notifications.services import MAX_ATTEMPTS, TransientDeliveryError, notify
from tests.factories import UserFactory


def message_for(*users, kind="assigned"):
    return notify(
        recipients=users,
        kind=kind,
        params={"title": "关于建议", "role": "Lead unit", "due": "2026-06-10"},
    )


def channels(user) -> set[str]:
    return set(
        Delivery.objects.filter(notification__recipient=user).values_list(
            "channel", flat=True
        )
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"notify_email": True, "notify_sms": False}, {Channel.EMAIL}),
        ({"notify_email": True, "email": ""}, set()),
        ({"notify_email": False, "notify_sms": True, "phone": "13900000001"}, {"sms"}),
        ({"notify_email": False, "notify_sms": True, "phone": ""}, set()),
        (
            {"notify_email": True, "notify_sms": True, "phone": "13900000001"},
            {"email", "sms"},
        ),
        ({"notify_email": False, "notify_sms": False, "phone": "13900000001"}, set()),
    ],
)
def test_copies_follow_the_users_choice_and_addresses(db, fields, expected):
    """The inbox always gets the message; an e-mail copy only with notify_email and an
    address, an SMS copy only with notify_sms and a phone number."""
    user = UserFactory(**fields)
    [notification] = message_for(user)
    assert Notification.objects.filter(recipient=user).count() == 1
    assert channels(user) == expected
    for delivery in notification.deliveries.all():
        assert delivery.address == (
            user.email if delivery.channel == Channel.EMAIL else user.phone
        )
        assert delivery.status == DeliveryStatus.PENDING


def test_inactive_and_repeated_recipients(db):
    """An inactive account gets nothing; a user named twice gets one message."""
    active, inactive = UserFactory(), UserFactory(is_active=False)
    notify(
        recipients=[active, inactive, active, None],
        kind="acknowledged",
        params={"title": "t", "unit": "u"},
    )
    assert Notification.objects.filter(recipient=active).count() == 1
    assert not Notification.objects.filter(recipient=inactive).exists()


def test_delivery_is_scheduled_after_commit_only(
    db, django_capture_on_commit_callbacks
):
    """Copies are handed to the worker once the transaction commits, not before; a
    message without copies asks for no delivery."""
    with django_capture_on_commit_callbacks() as callbacks:
        message_for(UserFactory(notify_email=False))
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        message_for(UserFactory())
    assert len(callbacks) == 1


def test_one_flush_per_transaction(db, django_capture_on_commit_callbacks):
    """Several messages in one transaction ask the worker once."""
    with django_capture_on_commit_callbacks() as callbacks:
        message_for(UserFactory())
        message_for(UserFactory())
    assert len(callbacks) == 1


def test_a_savepoint_rolled_back_takes_its_flush_along(
    db, django_capture_on_commit_callbacks
):
    """A message written in a savepoint that is rolled back leaves no request behind;
    the next message in the transaction asks again."""
    with django_capture_on_commit_callbacks() as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            message_for(UserFactory())
            raise RuntimeError("this part of the change is undone")
        assert callbacks == []
        message_for(UserFactory())
    assert len(callbacks) == 1


def test_committed_copies_are_sent_through_the_eager_task(
    db, eager, django_capture_on_commit_callbacks, sms_log
):
    """With Celery eager, committing the change sends its e-mail and SMS copies at
    once, each once."""
    user = UserFactory(notify_sms=True, phone="13900000002")
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = message_for(user)

    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == notification.title
    assert mail.outbox[0].body == notification.body
    assert sms_log() == [("13900000002", f"{notification.title}\n{notification.body}")]
    assert set(notification.deliveries.values_list("status", flat=True)) == {"sent"}


def test_deliver_sends_once(db, sms_log):
    """deliver() sends a pending copy and marks it sent; a second call sends nothing."""
    user = UserFactory(notify_sms=True, phone="13900000003")
    [notification] = message_for(user)
    email = notification.deliveries.get(channel=Channel.EMAIL)
    sms = notification.deliveries.get(channel=Channel.SMS)

    assert services.deliver(email.pk) is True
    assert services.deliver(sms.pk) is True
    assert services.deliver(email.pk) is False
    assert services.deliver(sms.pk) is False

    assert len(mail.outbox) == 1
    assert len(sms_log()) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 1)
    assert email.sent_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<notification-{email.pk}@suggestions>"
    )


def test_deliver_pending_sends_each_copy_once_however_often_it_runs(db, sms_log):
    """The flush may run any number of times: each copy goes out once."""
    users = [UserFactory(notify_sms=True, phone=f"1390000001{i}") for i in range(3)]
    message_for(*users)
    assert services.deliver_pending() == 6
    assert services.deliver_pending() == 0
    assert tasks.flush_outbox() == 0
    assert len(mail.outbox) == 3
    assert sorted(p for p, _ in sms_log()) == sorted(u.phone for u in users)


class FlakySms:
    """An SMS gateway that is down."""

    calls = 0

    def send(self, phone, text):
        FlakySms.calls += 1
        raise TransientDeliveryError("gateway timeout")


class BrokenSms:
    """An SMS backend with a bug."""

    def send(self, phone, text):
        raise ValueError("unexpected reply from the gateway")


def test_transient_failures_count_attempts_and_give_up(db, settings):
    """A transient failure leaves the copy pending with one more attempt and the
    error; after MAX_ATTEMPTS it is marked failed and never tried again."""
    settings.SMS_BACKEND = f"{__name__}.FlakySms"
    FlakySms.calls = 0
    user = UserFactory(notify_email=False, notify_sms=True, phone="13900000004")
    [notification] = message_for(user)
    sms = notification.deliveries.get()

    for attempt in range(1, MAX_ATTEMPTS):
        assert services.deliver(sms.pk) is False
        sms.refresh_from_db()
        assert (sms.status, sms.attempts) == (DeliveryStatus.PENDING, attempt)
        assert sms.last_error == "gateway timeout"
    assert services.deliver(sms.pk) is False
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)

    assert services.deliver(sms.pk) is False
    assert services.deliver_pending() == 0
    assert FlakySms.calls == MAX_ATTEMPTS


def test_smtp_errors_are_transient(db, settings):
    """An SMTP server that refuses the connection counts as a transient failure."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    [notification] = message_for(UserFactory())
    email = notification.deliveries.get()
    assert services.deliver(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
    assert email.last_error


def test_a_copy_that_always_fails_does_not_hold_up_the_others(db, settings):
    """A backend error of any kind counts as an attempt: the copies behind the oldest
    one still go out, and the broken one is given up after MAX_ATTEMPTS."""
    settings.SMS_BACKEND = f"{__name__}.BrokenSms"
    broken_user = UserFactory(notify_email=False, notify_sms=True, phone="139000005")
    message_for(broken_user)
    others = [UserFactory() for _ in range(2)]
    message_for(*others)

    assert services.deliver_pending() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in others)
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        later += dt.timedelta(days=1)
        services.deliver_pending(now=later)
    broken = Delivery.objects.get(channel=Channel.SMS)
    assert (broken.status, broken.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert "unexpected reply" in broken.last_error


def test_a_failed_copy_waits_longer_after_each_attempt(db, settings):
    """Backoff: a failed copy is not due again until its wait is over, and each
    wait is longer than the one before; a copy given up has no next attempt."""
    settings.SMS_BACKEND = f"{__name__}.FlakySms"
    FlakySms.calls = 0
    user = UserFactory(notify_email=False, notify_sms=True, phone="13900000006")
    [notification] = message_for(user)
    sms = notification.deliveries.get()

    now = timezone.now()
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        assert services.deliver_pending(now=now) == 0
        sms.refresh_from_db()
        wait = sms.next_attempt_at - now
        waits.append(wait)
        # Not due a second before the wait is over; due when it is.
        assert (
            services.deliver_pending(now=sms.next_attempt_at - dt.timedelta(seconds=1))
            == 0
        )
        now = sms.next_attempt_at
    assert FlakySms.calls == MAX_ATTEMPTS - 1
    assert waits == sorted(waits) and len(set(waits)) == len(waits)
    assert waits[0] >= dt.timedelta(minutes=1)

    services.deliver_pending(now=now)
    sms.refresh_from_db()
    assert (sms.status, sms.next_attempt_at) == (DeliveryStatus.FAILED, None)


def test_flush_continues_by_itself_while_full_batches_go_out(db):
    """A flush that sends a full batch queues its continuation (eagerly here), so a
    large sweep is drained without waiting for the beat; it stops when done."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        message_for(*[UserFactory() for _ in range(7)])
        assert tasks.flush_outbox(limit=3) == 3
        assert len(mail.outbox) == 7
        assert not services.due_deliveries().exists()
    finally:
        celery_app.conf.task_always_eager = saved


def free_port() -> int:
    """A local TCP port nothing listens on (a broker or SMTP server that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down():
    """This process's Celery app pointed at a Redis port nothing listens on."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    conf.task_always_eager = False
    yield
    conf.broker_url, conf.task_always_eager = saved


def test_broker_down_fails_fast_and_keeps_the_copies(
    db, broker_down, django_capture_on_commit_callbacks, caplog
):
    """With the broker unreachable the committed change is not held up (one quick
    connection attempt, no retries) and its copies stay pending for the next flush."""
    with django_capture_on_commit_callbacks() as callbacks:
        [notification] = message_for(UserFactory())
    started = time.monotonic()
    for callback in callbacks:
        callback()
    assert time.monotonic() - started < 1.5
    assert "broker unavailable" in caplog.text
    assert notification.deliveries.get().status == DeliveryStatus.PENDING
    assert services.deliver_pending() == 1  # the periodic flush picks it up


def test_a_message_carries_the_time_of_the_change_it_reports(db):
    """Messages are dated by the services' clock: a back-dated change (the demo's
    past sessions) shows in the inbox at the time it happened, not today."""
    from common import clock
    from tests.conftest import at

    moment = at(2023, 4, 3, 9, 30)
    with clock.frozen_at(moment):
        [notification] = message_for(UserFactory())
    notification.refresh_from_db()
    assert notification.created_at == moment
