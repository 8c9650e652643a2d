"""Turning an opinion into a demand 诉求 — only through the demands app's public intake service.

`appeal_submit` keeps every rule of intake (receipt code, deadlines, audit, notifications); this
module only chooses its arguments, and reads a demand's current state for the report back.
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from minqing.appeals.models import FINAL_STATUSES, Channel, Kind
from minqing.appeals.services import appeal_submit


def submit_from_opinion(*, actor, opinion, place, category=None, kind: str = Kind.HELP):
    """A demand with channel 会议 (a meeting's opinion) or 来访 (a reception day's request), on
    behalf of the resident who raised it when they are in the ledger."""
    channel = Channel.MEETING if opinion.meeting_id else Channel.WALK_IN
    source = opinion.meeting or opinion.reception
    return appeal_submit(
        actor=actor, place=place, text=opinion.text, title=opinion.text[:100], channel=channel, kind=kind,
        category=category, resident=opinion.resident, reporter_name="" if opinion.resident_id else opinion.speaker,
        location=str(source)[:200])


def progress(opinion) -> tuple[str, str, bool]:
    """(state label, reply, closed?) of an opinion now: its answer, or its demand's current state."""
    if opinion.status == "answered":
        return _("当场答复"), opinion.answer, True
    if opinion.status == "demand" and opinion.appeal_id:
        appeal = opinion.appeal
        return (_("%(s)s（%(c)s）") % {"s": appeal.get_status_display(), "c": appeal.receipt_code}, appeal.reply_text or "",
                appeal.status in FINAL_STATUSES)
    return _("待答复"), "", False
