"""Writing notifications (inside the caller's transaction) and delivering them.

``notify`` writes the inbox messages and their pending e-mail/SMS copies in the same
transaction as the change that causes them, and asks Celery, once that transaction has
committed, to deliver them. If the broker is down nothing is lost: the rows wait, and
the periodic ``flush_outbox`` task (or ``send_reminders --deliver``) sends them later.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string

from common import clock
from common.tasks import send_on_commit
from common.text import single_line

from .messages import MESSAGES
from .models import Channel, Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

# After this many failed attempts a delivery is given up (and stays visible as failed).
MAX_ATTEMPTS = 5
# Waits after the 1st, 2nd, 3rd … failed attempt (a gateway that is down for an hour
# is tried five times in about 2½ hours, not five times in five minutes).
RETRY_DELAYS = (
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(minutes=90),
)


class TransientDeliveryError(Exception):
    """The channel is unavailable for now; try again later."""


class Deferred:
    """A message parameter rendered when the message is: in the recipient's language.

    Dates and choice labels must not be turned into text where the event happens (in
    the actor's or the worker's language) but inside ``render``'s language override.
    """

    def __init__(self, render: Callable[[], object]):
        self._render = render

    def __str__(self) -> str:
        return str(self._render())


def local_date(value) -> Deferred:
    """A date in the recipient's format (2026年3月1日 / March 1, 2026); '' for None."""
    return Deferred(lambda: formats.date_format(value) if value else "")


def render(kind: str, language: str, params: dict) -> tuple[str, str]:
    """The title and body of a message of ``kind`` in ``language``."""
    title, body = MESSAGES[kind]
    with translation.override(language or settings.LANGUAGE_CODE):
        values = {k: str(v) for k, v in params.items()}
        return single_line(str(title) % values)[:200], str(body) % values


class Renderer:
    """Renders the many messages of one sweep: each kind's texts are translated, and
    each date formatted, once per language rather than once per message.

    Parameters are dates (formatted for the reader) or language-neutral values
    (titles, numbers); ``Deferred`` ones need ``render``.
    """

    def __init__(self):
        self._texts: dict[tuple[str, str], tuple[str, str]] = {}
        self._dates: dict[tuple[date, str], str] = {}

    def render(self, kind: str, language: str, params: dict) -> tuple[str, str]:
        """What ``render(kind, language, params)`` returns."""
        language = language or settings.LANGUAGE_CODE
        texts = self._texts.get((kind, language))
        if texts is None:
            with translation.override(language):
                title, body = MESSAGES[kind]
                texts = self._texts[kind, language] = (str(title), str(body))
        values = {k: self._text(v, language) for k, v in params.items()}
        return single_line(texts[0] % values)[:200], texts[1] % values

    def _text(self, value, language: str) -> str:
        if not isinstance(value, date):
            return str(value)
        formatted = self._dates.get((value, language))
        if formatted is None:
            with translation.override(language):
                formatted = self._dates[value, language] = formats.date_format(value)
        return formatted


def notify(
    *, recipients: Iterable, kind: str, suggestion=None, params: dict
) -> list[Notification]:
    """Write one message per active recipient (each in their language), with the
    e-mail/SMS copies they asked for, and deliver them after commit."""
    unique = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in unique:
            unique[user.pk] = user
    if not unique:
        return []
    # The services' clock: a message about a back-dated change (the demo's past
    # sessions) carries the time of that change.
    now = clock.now()
    notifications = []
    for user in unique.values():
        title, body = render(kind, user.language, params)
        notifications.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                suggestion=suggestion,
                created_at=now,
            )
        )
    Notification.objects.bulk_create(notifications)
    _add_deliveries(notifications)
    return notifications


def _add_deliveries(notifications: list[Notification]) -> None:
    """Pending copies for the channels each recipient chose; needs saved rows."""
    deliveries = []
    for n in notifications:
        user = n.recipient
        if user.notify_email and user.email:
            deliveries.append(
                Delivery(notification=n, channel=Channel.EMAIL, address=user.email)
            )
        if user.notify_sms and user.phone:
            deliveries.append(
                Delivery(notification=n, channel=Channel.SMS, address=user.phone)
            )
    if deliveries:
        Delivery.objects.bulk_create(deliveries, batch_size=2000)
        schedule_delivery()


def schedule_delivery() -> None:
    """Ask a worker to deliver pending copies once the current transaction commits
    (once per transaction: one flush delivers all of them). A test that runs in one
    transaction (pytest-django's ``db``) therefore sees one request however many
    changes it makes. With the broker down the rows wait for the periodic flush."""
    from .tasks import flush_outbox

    send_on_commit(flush_outbox)


# --- recipients -----------------------------------------------------------------------


def unit_members(unit_ids: Iterable[int]):
    return get_user_model().objects.filter(unit_id__in=list(unit_ids), is_active=True)


def staff_users(body_id: int):
    """The congress staff of the body ``body_id`` (active)."""
    return get_user_model().objects.staff_of(body_id)


def leader_users(body_id: int):
    """The leaders of the body ``body_id`` (active)."""
    return get_user_model().objects.leaders_of(body_id)


def deputy_users(suggestion, *, lead_only: bool = False):
    """Accounts of the lead deputy and, unless ``lead_only``, the confirmed
    co-signers, and those of the suggestions merged into this one."""
    from django.db.models import Q

    User = get_user_model()
    lead = Q(deputy_records__led_suggestions=suggestion) | Q(
        deputy_records__led_suggestions__merged_into=suggestion
    )
    if lead_only:
        return User.objects.filter(lead, is_active=True).distinct()
    signed = Q(
        deputy_records__cosignatures__suggestion=suggestion,
        deputy_records__cosignatures__signed_at__isnull=False,
    ) | Q(
        deputy_records__cosignatures__suggestion__merged_into=suggestion,
        deputy_records__cosignatures__signed_at__isnull=False,
    )
    return User.objects.filter(lead | signed, is_active=True).distinct()


# --- delivery -------------------------------------------------------------------------


def deliver(delivery_id: int) -> bool:
    """Send one pending copy and mark it sent, under a row lock so that two workers
    never send the same copy. Returns whether it was sent now."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("notification")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False
        delivery.attempts += 1
        try:
            _send(delivery)
        except DatabaseError:
            raise
        except Exception as error:
            # Any failure counts as an attempt, not only TransientDeliveryError:
            # pending copies go oldest first, so one copy that always raised would
            # otherwise stop every flush before the copies behind it.
            delivery.last_error = str(error)[:1000] or type(error).__name__
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
            else:
                delay = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
                delivery.next_attempt_at = timezone.now() + delay
            delivery.save(
                update_fields=["attempts", "last_error", "status", "next_attempt_at"]
            )
            if isinstance(error, TransientDeliveryError):
                logger.warning("delivery %s failed: %s", delivery.pk, error)
            else:
                logger.exception("delivery %s failed", delivery.pk)
            return False
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "status", "sent_at"])
    logger.info("delivery %s sent by %s", delivery.pk, delivery.channel)
    return True


def due_deliveries(now=None):
    """Pending copies whose next attempt is due (never tried, or waited long enough)."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=DeliveryStatus.PENDING,
    ).order_by("created_at", "pk")


def deliver_pending(*, limit: int = 500, now=None) -> int:
    """Send up to ``limit`` due copies, oldest first; returns how many were sent."""
    ids = list(due_deliveries(now).values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if deliver(pk))


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        message = EmailMessage(
            # One line whatever the stored title holds: a line break in a header
            # is refused (BadHeaderError) on every attempt.
            subject=single_line(notification.title),
            body=notification.body,
            to=[delivery.address],
            headers={"Message-ID": f"<notification-{delivery.pk}@suggestions>"},
        )
        try:
            message.send()
        except OSError as error:  # SMTP down, connection refused …
            raise TransientDeliveryError(error) from error
    else:
        backend = import_string(settings.SMS_BACKEND)()
        backend.send(delivery.address, f"{notification.title}\n{notification.body}")
