"""The report back 上次会议意见办理情况: what became of the earlier opinions of a meeting's series.

A meeting lists every opinion raised at an earlier meeting of its series that no earlier meeting has
already reported as closed: all of the previous meeting's opinions, and the older ones still open
(carried forward until their demand is closed). Until the meeting is held the list is read live from
the demands' current states; holding it freezes the list (ReportBack rows), so the minutes keep
what was read out while later meetings read on.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import demands
from .models import Meeting, MeetingStatus, Opinion, ReportBack


@dataclass(frozen=True)
class ReportRow:
    opinion: Opinion
    state: str
    reply: str
    is_closed: bool

    @property
    def raised_at(self) -> Meeting:
        return self.opinion.meeting


def _earlier(meeting: Meeting):
    return Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at) \
        .exclude(status=MeetingStatus.CANCELLED)


def report_back_live(meeting: Meeting) -> list[ReportRow]:
    earlier = _earlier(meeting)
    reported_closed = ReportBack.objects.filter(meeting__in=earlier, is_closed=True).values("opinion_id")
    opinions = (Opinion.objects.filter(meeting__in=earlier).exclude(pk__in=reported_closed)
                .select_related("meeting", "resident", "appeal").order_by("meeting__starts_at", "id"))
    return [ReportRow(o, *demands.progress(o)) for o in opinions]


def report_back(meeting: Meeting) -> list[ReportRow]:
    """The list shown on the meeting page and printed in its minutes."""
    if not meeting.is_held:
        return report_back_live(meeting)
    rows = meeting.report_backs.select_related("opinion__meeting", "opinion__resident").order_by(
        "opinion__meeting__starts_at", "opinion_id")
    return [ReportRow(r.opinion, r.state, r.reply, r.is_closed) for r in rows]


def report_back_freeze(meeting: Meeting) -> int:
    rows = report_back_live(meeting)
    ReportBack.objects.bulk_create([ReportBack(meeting=meeting, opinion=r.opinion, state=r.state[:40], reply=r.reply,
                                               is_closed=r.is_closed) for r in rows])
    return len(rows)
