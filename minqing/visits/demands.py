"""Turning a need found on a visit into a demand 诉求 — through the demands app's own service only.

Visits never write appeals rows itself: `appeal_submit` keeps every rule of intake (receipt code,
deadlines, audit, notifications). """
from __future__ import annotations

from django.utils.translation import gettext as _

from minqing.appeals.models import Channel, Kind
from minqing.appeals.services import appeal_submit


def available() -> bool:
    return True  # kept for the templates; the demands app is always installed


def submit_from_visit(*, actor, need, category=None):
    """A demand with channel 'found on a visit' 走访发现, placed at the household's building, on behalf
    of the head of household (the ledger's resident), located at the household's address."""
    household = need.visit.household
    return appeal_submit(
        actor=actor, place=household.building, text=need.text, title=need.text[:100], channel=Channel.VISIT,
        kind=Kind.HELP, category=category, resident=household.head, location=str(household))


def label(appeal) -> str:
    return str(getattr(appeal, "receipt_code", "") or f"#{appeal.pk}")[:60]
