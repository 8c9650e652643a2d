"""The appeals app's settings, each overridable in the environment's settings module."""
from django.conf import settings


def setting(name: str, default):
    return getattr(settings, name, default)


def recurrence_window_days() -> int:
    """A new demand within this many days after the same matter closed is proposed as a recurrence."""
    return setting("MINQING_APPEAL_RECURRENCE_DAYS", 90)


def reopen_window_days() -> int:
    """A closed demand can be reopened within this many days (DIGIT's reopen period)."""
    return setting("MINQING_APPEAL_REOPEN_DAYS", 30)


def follow_up_days() -> int:
    """A reply nobody rated within this many days closes as "not rated"."""
    return setting("MINQING_APPEAL_FOLLOW_UP_DAYS", 7)


def due_soon_hours() -> int:
    return setting("MINQING_APPEAL_DUE_SOON_HOURS", 24)


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 4
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
