"""Scheduled: flag policy answers that expired to their owners (registered in apps.py)."""
from __future__ import annotations

import datetime

from django.utils import timezone

from .answers import policy_answers_flag_expired


def flag_expired_answers_job(now: datetime.datetime) -> str:
    """Idempotent: an answer is flagged once per expiry date (expiry_flagged_on, notification dedupe key)."""
    return f"flagged {policy_answers_flag_expired(today=timezone.localdate(now))}"
