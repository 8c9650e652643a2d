"""Turning a need found on a visit into a demand 诉求 — through the demands app's own service only.

Visits never write appeals rows itself: `appeal_submit` keeps every rule of intake (receipt code,
deadlines, audit, notifications). Without the demands app installed the step is refused clearly.
"""
from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from minqing.core.errors import TransitionNotAllowed


def available() -> bool:
    return apps.is_installed("minqing.appeals")


def submit_from_visit(*, actor, need, category=None):
    """A demand with channel 'found on a visit' 走访发现, placed at the household's building, on behalf
    of the head of household (the ledger's resident), located at the household's address."""
    if not available():
        raise TransitionNotAllowed(_("诉求模块尚未启用，暂不能转为诉求。"), code="appeals_unavailable")
    from minqing.appeals.models import Channel, Kind
    from minqing.appeals.services import appeal_submit

    household = need.visit.household
    return appeal_submit(
        actor=actor, place=household.building, text=need.text, title=need.text[:100], channel=Channel.VISIT,
        kind=Kind.HELP, category=category, resident=household.head, location=str(household))


def label(appeal) -> str:
    return str(getattr(appeal, "receipt_code", "") or f"#{appeal.pk}")[:60]
