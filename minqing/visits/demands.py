"""Turning a need found on a visit into a demand 诉求 — through the demands app's own service only.

Visits never write appeals rows itself: `appeal_submit` keeps every rule of intake (receipt code,
deadlines, audit). Until the demands app is installed, the step is refused with a clear message.
"""
from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from minqing.core.errors import TransitionNotAllowed


def available() -> bool:
    return apps.is_installed("minqing.appeals")


def submit_from_visit(*, actor, need, category=None):
    if not available():
        raise TransitionNotAllowed(_("诉求模块尚未启用，暂不能转为诉求。"), code="appeals_unavailable")
    raise TransitionNotAllowed(_("诉求模块接口尚未接入。"), code="appeals_unavailable")  # wired below when present


def label(appeal) -> str:
    return str(getattr(appeal, "receipt_code", "") or getattr(appeal, "code", "") or f"#{appeal.pk}")[:60]
