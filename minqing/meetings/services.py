"""Every write to meetings, their invitees, decisions and opinions. Reception days: receptions.py."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.core.transitions import transition
from minqing.places.models import Place, PlaceKind

from . import demands, notices
from .models import (MEETING, Decision, Invitee, Meeting, MeetingKind, MeetingSeries, MeetingStatus, MeetingVerb,
                     Opinion, OpinionStatus, ReceptionDay, ReceptionStatus)
from .reportback import report_back_freeze

PERM = "meeting.change"


def _lock(meeting: Meeting, actor, expected_version=None) -> Meeting:
    meeting = lock_for_change(Meeting.objects.select_related("series", "place"), pk=meeting.pk,
                              expected_version=expected_version)
    ensure_can(actor, PERM, meeting.place_code)
    return meeting


@transaction.atomic
def series_create(*, actor, place: Place, name: str, kind: str) -> MeetingSeries:
    ensure_can(actor, PERM, place.code)
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("请填写会议系列名称。")]
    elif MeetingSeries.objects.filter(place=place, name=name.strip()).exists():
        errors["name"] = [_("该地点已有同名会议系列。")]
    if kind not in MeetingKind.values:
        errors["kind"] = [_("请选择会议类型。")]
    if place.kind not in (PlaceKind.STREET, PlaceKind.COMMUNITY):
        errors["place"] = [_("会议按社区或街道召集。")]
    if errors:
        raise ValidationError(fields=errors)
    series = MeetingSeries(place=place, place_code=place.code, name=name.strip(), kind=kind)
    return object_create(series, actor=actor, action="meeting.series.create", fields=("name", "kind", "place"))


def _invitees(meeting: Meeting, *, residents=(), partner_units=(), staff=()) -> list[Invitee]:
    have = {(i.resident_id, i.partner_unit_id, i.user_id) for i in meeting.invitees.all()} if meeting.pk else set()
    rows = [Invitee(meeting=meeting, resident=r) for r in residents] + \
        [Invitee(meeting=meeting, partner_unit=u) for u in partner_units] + [Invitee(meeting=meeting, user=u) for u in staff]
    new, seen = [], set(have)
    for row in rows:
        key = (row.resident_id, row.partner_unit_id, row.user_id)
        if key not in seen:
            seen.add(key)
            new.append(row)
    return new


def _check_residents(actor, place_code: str, residents) -> None:
    outside = [r for r in residents if not r.place_code.startswith(place_code)]
    if outside:
        raise ValidationError(fields={"residents": [_("受邀居民须属于会议所在地：%(n)s") % {
            "n": "、".join(str(r) for r in outside[:3])}]})
    for resident in residents:
        ensure_can(actor, "ledger.view", resident.place_code)


@transaction.atomic
def meeting_call(*, actor, series: MeetingSeries, starts_at: datetime.datetime, location: str, title: str = "",
                 agenda: str = "", residents=(), partner_units=(), staff=()) -> Meeting:
    """Call 召集 a meeting of a series: when, where, what about, and who is invited."""
    ensure_can(actor, PERM, series.place_code)
    errors = {}
    if starts_at is None:
        errors["starts_at"] = [_("请填写会议时间。")]
    if not (location or "").strip():
        errors["location"] = [_("请填写会场。")]
    if errors:
        raise ValidationError(fields=errors)
    _check_residents(actor, series.place_code, residents)
    title = (title or "").strip() or f"{series.name}（{timezone.localtime(starts_at):%Y-%m-%d}）"
    meeting = Meeting(series=series, kind=series.kind, place=series.place, place_code=series.place_code,
                      title=title[:150], starts_at=starts_at, location=location.strip(), agenda=(agenda or "").strip(),
                      called_by=actor)
    rows = _invitees(meeting, residents=residents, partner_units=partner_units, staff=staff)
    object_create(meeting, actor=actor, action="meeting.call", payload={"invitees": len(rows)},
                  fields=("title", "series", "starts_at", "location"))
    Invitee.objects.bulk_create(rows)
    return meeting


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting, residents=(), partner_units=(), staff=()) -> int:
    meeting = _lock(meeting, actor)
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionNotAllowed(_("会议已召开或已取消，不能再邀请。"))
    _check_residents(actor, meeting.place_code, residents)
    rows = _invitees(meeting, residents=residents, partner_units=partner_units, staff=staff)
    Invitee.objects.bulk_create(rows)
    if rows:
        object_update(meeting, actor=actor, action="meeting.invite", changes={},
                      payload={"invited": "、".join(str(r) for r in rows)[:500]})
    return len(rows)


@transaction.atomic
def meeting_publish_notice(*, actor, meeting: Meeting) -> Meeting:
    """Put the meeting notice on the public board 居务公开 of its community."""
    meeting = _lock(meeting, actor)
    ensure_can(actor, "disclosure.publish", meeting.place_code)
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionNotAllowed(_("只有待召开的会议可以发布通知。"))
    if meeting.call_notice_id:
        raise TransitionNotAllowed(_("会议通知已发布。"))
    notice = notices.publish_call(actor=actor, meeting=meeting)
    object_update(meeting, actor=actor, action="meeting.notice", changes={"call_notice": notice})
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting, attended: list[int], attendance_count: int | None = None,
                 expected_version: int | None = None) -> Meeting:
    """Record that the meeting took place: who of the invitees came (and how many people in all).
    Freezes the report back read out at it."""
    meeting = _lock(meeting, actor, expected_version)
    MEETING.check(meeting, MeetingVerb.HOLD)
    invitees = list(meeting.invitees.all())
    present = {i.pk for i in invitees} & {int(pk) for pk in attended}
    count = len(present) if attendance_count is None else int(attendance_count)
    if not invitees:
        raise ValidationError(fields={"attended": [_("会议没有受邀人员，请先邀请参会人员。")]})
    if count > len(invitees):
        raise ValidationError(fields={"attendance_count": [_("实到人数（%(a)d）不能超过应到人数（%(i)d）。") % {
            "a": count, "i": len(invitees)}]})
    if count < len(present):
        raise ValidationError(fields={"attendance_count": [_("实到人数不能少于勾选出席的人数。")]})
    if meeting.has_quorum_rule and count * 2 <= len(invitees):
        raise ValidationError(fields={"attendance_count": [_("%(k)s须过半数出席：应到 %(i)d 人，实到 %(a)d 人。") % {
            "k": meeting.get_kind_display(), "i": len(invitees), "a": count}]})
    if meeting.starts_at > timezone.now() + datetime.timedelta(hours=12):
        raise ValidationError(fields={"starts_at": [_("会议时间还未到，不能登记召开。")]})
    Invitee.objects.filter(meeting=meeting).update(attended=False)
    Invitee.objects.filter(meeting=meeting, pk__in=present).update(attended=True)
    reported = report_back_freeze(meeting)
    transition(meeting, table=MEETING, verb=MeetingVerb.HOLD, actor=actor,
               changes={"attendance_count": count, "held_at": timezone.now()},
               payload={"invited": len(invitees), "reported_back": reported})
    return meeting


@transaction.atomic
def meeting_minutes_save(*, actor, meeting: Meeting, minutes: str, expected_version: int | None = None) -> Meeting:
    meeting = _lock(meeting, actor, expected_version)
    if meeting.status != MeetingStatus.HELD:
        raise TransitionNotAllowed(_("纪要审定后不能再修改。") if meeting.is_held else _("会议召开后才能记录纪要。"))
    object_update(meeting, actor=actor, action="meeting.minutes", changes={"minutes": (minutes or "").strip()})
    return meeting


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, text: str, votes_for: int | None = None,
                 votes_against: int | None = None, votes_abstain: int | None = None,
                 is_public: bool = False) -> Decision:
    meeting = _lock(meeting, actor)
    if meeting.status != MeetingStatus.HELD:
        raise TransitionNotAllowed(_("只有已召开、纪要未审定的会议可以记录决定。"))
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("请填写决定事项。")]
    votes = [v for v in (votes_for, votes_against, votes_abstain) if v is not None]
    if votes and len(votes) < 3:
        errors["votes_for"] = [_("表决请同时填写赞成、反对、弃权票数。")]
    elif votes and sum(votes) > (meeting.attendance_count or 0):
        errors["votes_for"] = [_("票数合计（%(v)d）不能超过实到人数（%(a)d）。") % {
            "v": sum(votes), "a": meeting.attendance_count or 0}]
    elif votes and meeting.has_quorum_rule and votes_for * 2 <= (meeting.attendance_count or 0):
        errors["votes_for"] = [_("赞成票未过实到人数的半数，决定不能通过。")]
    if errors:
        raise ValidationError(fields=errors)
    decision = Decision(meeting=meeting, text=text.strip(), votes_for=votes_for, votes_against=votes_against,
                        votes_abstain=votes_abstain, is_public=bool(is_public))
    return object_create(decision, actor=actor, action="meeting.decision.add")


@transaction.atomic
def meeting_approve(*, actor, meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """Approve the minutes; the decisions marked public go to the public board then."""
    meeting = _lock(meeting, actor, expected_version)
    MEETING.check(meeting, MeetingVerb.APPROVE)
    if not meeting.minutes.strip():
        raise ValidationError(fields={"minutes": [_("请先记录会议纪要，再审定。")]})
    public = list(meeting.decisions.filter(is_public=True))
    changes = {}
    if public:
        ensure_can(actor, "disclosure.publish", meeting.place_code)
        changes["decisions_notice"] = notices.publish_decisions(actor=actor, meeting=meeting, decisions=public)
    transition(meeting, table=MEETING, verb=MeetingVerb.APPROVE, actor=actor, changes=changes,
               payload={"public_decisions": len(public)})
    return meeting


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting, expected_version: int | None = None) -> Meeting:
    meeting = _lock(meeting, actor, expected_version)
    MEETING.check(meeting, MeetingVerb.CLOSE)
    waiting = meeting.opinions.filter(status=OpinionStatus.OPEN).count()
    if waiting:
        raise ValidationError(fields={"opinions": [_("还有 %(n)d 条意见既未答复也未转为诉求，不能结束会议。") % {
            "n": waiting}]})
    transition(meeting, table=MEETING, verb=MeetingVerb.CLOSE, actor=actor)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str, expected_version: int | None = None) -> Meeting:
    meeting = _lock(meeting, actor, expected_version)
    MEETING.check(meeting, MeetingVerb.CANCEL)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写取消原因。")]})
    if meeting.call_notice_id:  # the board says so too, with the reason (a withdrawal is public)
        notices.withdraw_call(actor=actor, meeting=meeting, reason=reason.strip())
    transition(meeting, table=MEETING, verb=MeetingVerb.CANCEL, actor=actor, changes={"cancel_reason": reason.strip()})
    return meeting


# --- opinions -----------------------------------------------------------------------------------

def _source_check(meeting: Meeting | None, reception: ReceptionDay | None) -> str:
    if (meeting is None) == (reception is None):
        raise ValidationError(fields={"meeting": [_("意见须属于一次会议或一次接访。")]})
    if meeting is not None and meeting.status != MeetingStatus.HELD:
        raise TransitionNotAllowed(_("会议召开后、纪要审定前才能记录意见。"))
    if reception is not None and reception.status != ReceptionStatus.HELD:
        raise TransitionNotAllowed(_("请先登记接访情况，再记录来访诉求。"))
    return (meeting or reception).place_code


@transaction.atomic
def opinion_add(*, actor, text: str, meeting: Meeting | None = None, reception: ReceptionDay | None = None,
                resident=None, speaker: str = "", answer: str = "", to_demand: bool = False,
                category=None) -> Opinion:
    """Record what someone said, in one step answered on the spot (answer) or made a demand (to_demand)."""
    place_code = _source_check(meeting, reception)
    ensure_can(actor, PERM, place_code)
    errors = {}
    if len((text or "").strip()) < 5:
        errors["text"] = [_("请用至少 5 个字记录意见。")]
    if resident is None and not (speaker or "").strip():
        errors["speaker"] = [_("请选择提出意见的居民，或填写提出人。")]
    if resident is not None and not resident.place_code.startswith(place_code):
        errors["resident"] = [_("提出意见的居民不在会议所在地。")]
    if answer.strip() and to_demand:
        errors["answer"] = [_("当场答复与转为诉求只能选一项。")]
    if errors:
        raise ValidationError(fields=errors)
    if resident is not None:
        ensure_can(actor, "ledger.view", resident.place_code)
    opinion = Opinion(meeting=meeting, reception=reception, place_code=place_code, resident=resident,
                      speaker="" if resident else speaker.strip()[:60], text=text.strip(), recorded_by=actor)
    if answer.strip():
        opinion.status, opinion.answer = OpinionStatus.ANSWERED, answer.strip()
    if to_demand:
        opinion.status, opinion.appeal = OpinionStatus.DEMAND, _submit(actor, opinion, category)
    return object_create(opinion, actor=actor, action="meeting.opinion.add",
                         fields=("text", "resident", "speaker", "status", "answer", "appeal"))


def _submit(actor, opinion: Opinion, category):
    place = (opinion.resident.household.building if opinion.resident_id and opinion.resident.household_id
             else (opinion.meeting or opinion.reception).place)
    return demands.submit_from_opinion(actor=actor, opinion=opinion, place=place, category=category)


def _lock_opinion(opinion: Opinion, actor, expected_version) -> Opinion:
    # No select_related of the nullable links: PostgreSQL refuses FOR UPDATE on an outer join's nullable side.
    opinion = lock_for_change(Opinion.objects.all(), pk=opinion.pk, expected_version=expected_version)
    ensure_can(actor, PERM, opinion.place_code)
    if opinion.status != OpinionStatus.OPEN:
        raise TransitionNotAllowed(_("该意见已%(s)s，不能重复处理。") % {"s": opinion.get_status_display()})
    return opinion


@transaction.atomic
def opinion_answer(*, actor, opinion: Opinion, answer: str, expected_version: int | None = None) -> Opinion:
    opinion = _lock_opinion(opinion, actor, expected_version)
    if not (answer or "").strip():
        raise ValidationError(fields={"answer": [_("请填写答复内容。")]})
    object_update(opinion, actor=actor, action="meeting.opinion.answer",
                  changes={"status": OpinionStatus.ANSWERED, "answer": answer.strip()})
    return opinion


@transaction.atomic
def opinion_to_demand(*, actor, opinion: Opinion, category=None, expected_version: int | None = None) -> Opinion:
    """Make the opinion a demand (channel 会议 / 来访) through the demands app, linked back to it."""
    opinion = _lock_opinion(opinion, actor, expected_version)
    appeal = _submit(actor, opinion, category)
    object_update(opinion, actor=actor, action="meeting.opinion.to_demand",
                  changes={"status": OpinionStatus.DEMAND, "appeal": appeal})
    return opinion
