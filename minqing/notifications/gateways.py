"""Where resident messages go. The backend is a dotted path in settings.MINQING_SMS_BACKEND.

An SMS gateway plugs in by writing a class with `send(phone: str, text: str) -> None` (raise on
failure) and pointing the setting at it; nothing else changes.
"""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from minqing.core.masking import mask_phone

logger = logging.getLogger("minqing.sms")
DEFAULT_BACKEND = "minqing.notifications.gateways.LoggingGateway"


class LoggingGateway:
    """The default: writes the message to the log with the phone masked (no personal data in logs)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class MemoryGateway:
    """For tests: keeps what was sent."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemoryGateway.sent.append((phone, text))


def gateway_get():
    return import_string(getattr(settings, "MINQING_SMS_BACKEND", DEFAULT_BACKEND))()
