"""What meetings put on the public board 居务公开: the meeting notice and the public decisions.

Written through the board's own service for other apps (`notice_publish_on_behalf`), so a published
item keeps its public revision history like any other; the calling meetings service has already
checked `disclosure.publish` and runs in its transaction.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.errors import ValidationError
from minqing.disclosure.models import NoticeKind, NoticeStatus
from minqing.disclosure.services import notice_publish_on_behalf, notice_withdraw_on_behalf
from minqing.places.models import PlaceKind


def _community(meeting):
    if meeting.place.kind != PlaceKind.COMMUNITY:
        raise ValidationError(fields={"place": [_("居务公开按社区发布，街道会议请在街道公开栏张贴。")]})
    return meeting.place


def call_text(meeting) -> str:
    return _("兹定于 %(t)s 在 %(l)s 召开%(k)s。\n议题：%(a)s\n请参会人员准时出席。") % {
        "t": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"), "l": meeting.location,
        "k": meeting.get_kind_display(), "a": meeting.agenda or "—"}


def publish_call(*, actor, meeting):
    return notice_publish_on_behalf(actor=actor, community=_community(meeting), kind=NoticeKind.NOTICE,
                                    title=_("会议通知：%(t)s") % {"t": meeting.title}, body=call_text(meeting))


def decision_line(decision) -> str:
    if decision.voted:
        return _("%(t)s（表决：赞成 %(f)d，反对 %(a)d，弃权 %(b)d）") % {
            "t": decision.text, "f": decision.votes_for, "a": decision.votes_against, "b": decision.votes_abstain}
    return decision.text


def publish_decisions(*, actor, meeting, decisions):
    body = _("%(m)s于 %(d)s 召开，实到 %(n)s 人，形成以下决定：") % {
        "m": meeting.title, "d": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
        "n": meeting.attendance_count}
    body += "\n" + "\n".join(f"{i}. {decision_line(d)}" for i, d in enumerate(decisions, start=1))
    return notice_publish_on_behalf(actor=actor, community=_community(meeting), kind=NoticeKind.MEETING,
                                    title=_("会议决定：%(t)s") % {"t": meeting.title}, body=body)


def withdraw_call(*, actor, meeting, reason: str) -> None:
    if meeting.call_notice.status == NoticeStatus.PUBLISHED:
        notice_withdraw_on_behalf(actor=actor, notice=meeting.call_notice, reason=_("会议取消：%(r)s") % {"r": reason})
