"""SMS backends. Production plugs in a gateway by setting ``SMS_BACKEND`` to a class
with ``send(phone, text)`` that raises ``TransientDeliveryError`` when the gateway is
unavailable."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("notifications.sms")


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes each message to the log and to ``SMS_LOG_FILE`` (if set), so that the
    embedded run shows what would have been sent."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        path = getattr(settings, "SMS_LOG_FILE", None)
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"[{timezone.now().isoformat()}] to {phone}\n{text}\n\n")
