"""Writing notifications (inside the caller's transaction) and delivering them.

``notify`` writes the inbox messages and their pending e-mail/SMS copies in the same
transaction as the change that causes them, and asks Celery, once that transaction has
committed, to deliver them. If the broker is down nothing is lost: the rows wait, and
the periodic ``flush_outbox`` task (or ``send_reminders --deliver``) sends them later.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .messages import MESSAGES
from .models import Channel, Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

# After this many failed attempts a delivery is given up (and stays visible as failed).
MAX_ATTEMPTS = 5


class TransientDeliveryError(Exception):
    """The channel is unavailable for now; try again later."""


def render(kind: str, language: str, params: dict) -> tuple[str, str]:
    """The title and body of a message of ``kind`` in ``language``."""
    title, body = MESSAGES[kind]
    with translation.override(language or settings.LANGUAGE_CODE):
        values = {k: str(v) for k, v in params.items()}
        return (str(title) % values)[:200], str(body) % values


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
    now = timezone.now()
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
        Delivery.objects.bulk_create(deliveries)
        schedule_delivery()


def schedule_delivery() -> None:
    """Ask a worker to deliver pending copies once the current transaction commits."""
    transaction.on_commit(_enqueue_flush)


def _enqueue_flush() -> None:
    from .tasks import flush_outbox

    try:
        # retry=False: with the broker down, fail fast; the rows wait for the
        # periodic flush instead of holding up the request.
        flush_outbox.apply_async(retry=False)
    except Exception:  # any broker failure: the outbox keeps the work
        logger.warning("broker unavailable; deliveries wait for the next flush")


# --- recipients -----------------------------------------------------------------------


def unit_members(unit_ids: Iterable[int]):
    return get_user_model().objects.filter(unit_id__in=list(unit_ids), is_active=True)


def staff_users():
    from accounts.models import STAFF_GROUP

    return get_user_model().objects.filter(groups__name=STAFF_GROUP, is_active=True)


def leader_users():
    from accounts.models import LEADER_GROUP

    return get_user_model().objects.filter(groups__name=LEADER_GROUP, is_active=True)


def deputy_users(suggestion, *, lead_only: bool = False):
    """Accounts of the lead deputy and, unless ``lead_only``, the confirmed
    co-signers, and those of the suggestions merged into this one."""
    from django.db.models import Q

    User = get_user_model()
    lead = Q(deputy__led_suggestions=suggestion) | Q(
        deputy__led_suggestions__merged_into=suggestion
    )
    if lead_only:
        return User.objects.filter(lead, is_active=True).distinct()
    signed = Q(
        deputy__cosignatures__suggestion=suggestion,
        deputy__cosignatures__signed_at__isnull=False,
    ) | Q(
        deputy__cosignatures__suggestion__merged_into=suggestion,
        deputy__cosignatures__signed_at__isnull=False,
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
        except TransientDeliveryError as error:
            delivery.last_error = str(error)[:1000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("delivery %s failed: %s", delivery.pk, error)
            return False
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "status", "sent_at"])
    logger.info("delivery %s sent by %s", delivery.pk, delivery.channel)
    return True


def deliver_pending(*, limit: int = 500) -> int:
    """Send up to ``limit`` pending copies, oldest first; returns how many were sent."""
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk))


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        message = EmailMessage(
            subject=notification.title,
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
