"""Every rule of a meeting's life, its opinions, its report back, and reception days."""
import datetime

import pytest
from django.utils import timezone

from minqing.accounts.models import PartnerUnit
from minqing.appeals.models import Appeal, Channel, Status
from minqing.appeals.services import appeal_reject
from minqing.core.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.core.models import AuditEntry
from minqing.disclosure.models import Notice, NoticeKind, NoticeStatus
from minqing.meetings import receptions, services
from minqing.meetings.models import (MEETING, Meeting, MeetingKind, MeetingStatus, MeetingVerb, OpinionStatus,
                                     ReceptionStatus)
from minqing.meetings.reportback import report_back
from minqing.meetings.selectors import meetings_held, receptions_held

from . import factories as mk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return [mk.resident(tree["building_a1"], name) for name in ("张三", "李四", "王五", "赵六")]


@pytest.fixture
def forum(actors, tree):
    return mk.series(actors["secretary"], tree["community_a"], MeetingKind.FORUM, "A社区民情恳谈会")


def _move(meeting, actor, verb):
    return {
        MeetingVerb.HOLD: lambda: services.meeting_hold(actor=actor, meeting=meeting,
                                                        attended=[i.pk for i in meeting.invitees.all()]),
        MeetingVerb.APPROVE: lambda: services.meeting_approve(actor=actor, meeting=meeting),
        MeetingVerb.CLOSE: lambda: services.meeting_close(actor=actor, meeting=meeting),
        MeetingVerb.CANCEL: lambda: services.meeting_cancel(actor=actor, meeting=meeting, reason="下雨改期"),
    }[verb]()


def _in_state(actor, forum, people, state):
    meeting = mk.meeting(actor, forum, residents=people)
    path = {MeetingStatus.PLANNED: [], MeetingStatus.HELD: [MeetingVerb.HOLD],
            MeetingStatus.APPROVED: [MeetingVerb.HOLD, MeetingVerb.APPROVE],
            MeetingStatus.CLOSED: [MeetingVerb.HOLD, MeetingVerb.APPROVE, MeetingVerb.CLOSE],
            MeetingStatus.CANCELLED: [MeetingVerb.CANCEL]}[state]
    for verb in path:
        if verb == MeetingVerb.APPROVE:
            services.meeting_minutes_save(actor=actor, meeting=meeting, minutes="会议纪要正文")
        meeting = _move(Meeting.objects.get(pk=meeting.pk), actor, verb)
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize("state", MeetingStatus.values)
@pytest.mark.parametrize("verb", MeetingVerb.values)
def test_transition_table(actors, forum, people, state, verb):
    # given a meeting in `state`
    actor = actors["secretary"]
    meeting = _in_state(actor, forum, people, state)
    if verb == MeetingVerb.APPROVE and state == MeetingStatus.HELD:
        services.meeting_minutes_save(actor=actor, meeting=meeting, minutes="纪要")
        meeting.refresh_from_db()
    target = MEETING.target(state, verb)
    # when / then: the move the table lists succeeds, any other is refused by name
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            _move(meeting, actor, verb)
    else:
        assert _move(meeting, actor, verb).status == target


def test_call_writes_one_audit_row_with_invitees(actors, forum, people, tree):
    unit = PartnerUnit.objects.create(name="供热站", kind=PartnerUnit.Kind.HEATING, service_area=tree["street"])
    before = AuditEntry.objects.count()
    meeting = mk.meeting(actors["secretary"], forum, residents=people, partner_units=[unit], staff=[actors["worker"]])
    assert AuditEntry.objects.count() == before + 1
    assert meeting.invitees.count() == 6 and {i.group for i in meeting.invitees.all()} == {"居民", "协办单位", "工作人员"}
    services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=[])
    assert AuditEntry.objects.count() == before + 2


def test_attendance_cannot_exceed_invitees(actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people[:2])
    with pytest.raises(ValidationError) as error:
        services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=[], attendance_count=3)
    assert "不能超过应到人数" in str(error.value.fields["attendance_count"][0])


def test_meeting_without_invitees_cannot_be_held(actors, forum):
    meeting = mk.meeting(actors["secretary"], forum)
    with pytest.raises(ValidationError) as error:
        services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=[])
    assert "attended" in error.value.fields


def test_representatives_meeting_needs_over_half(actors, tree, people):
    reps = mk.series(actors["secretary"], tree["community_a"], MeetingKind.REPRESENTATIVES, "A社区居民代表会议")
    meeting = mk.meeting(actors["secretary"], reps, residents=people)
    ids = [i.pk for i in meeting.invitees.all()]
    with pytest.raises(ValidationError) as error:  # 2 of 4 is not over half
        services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=ids[:2])
    assert "须过半数出席" in str(error.value.fields["attendance_count"][0])
    assert services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=ids[:3]).attendance_count == 3


def test_forum_has_no_quorum(actors, forum, people):
    meeting = mk.held(actors["secretary"], forum, people, attended=1)
    assert meeting.status == MeetingStatus.HELD and meeting.attendance_count == 1


def test_future_meeting_cannot_be_held(actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people, days_ago=-3)
    with pytest.raises(ValidationError) as error:
        services.meeting_hold(actor=actors["secretary"], meeting=meeting, attended=[])
    assert "starts_at" in error.value.fields


def test_approve_needs_minutes(actors, forum, people):
    meeting = mk.held(actors["secretary"], forum, people)
    with pytest.raises(ValidationError) as error:
        services.meeting_approve(actor=actors["secretary"], meeting=meeting)
    assert "minutes" in error.value.fields


def test_close_refused_while_an_opinion_lacks_answer_or_demand(actors, forum, people):
    secretary = actors["secretary"]
    meeting = mk.held(secretary, forum, people)
    waiting = mk.opinion(secretary, meeting, people[0])
    services.meeting_minutes_save(actor=secretary, meeting=meeting, minutes="纪要")
    services.meeting_approve(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.meeting_close(actor=secretary, meeting=meeting)
    assert "1 条意见" in str(error.value.fields["opinions"][0])
    services.opinion_answer(actor=secretary, opinion=waiting, answer="物业明天来修")
    assert services.meeting_close(actor=secretary, meeting=meeting).status == MeetingStatus.CLOSED


def test_opinion_to_demand_through_the_demands_service(actors, forum, people):
    secretary = actors["secretary"]
    meeting = mk.held(secretary, forum, people)
    opinion = mk.opinion(secretary, meeting, people[1], text="小区南门路灯不亮，晚上出行不便")
    opinion = services.opinion_to_demand(actor=secretary, opinion=opinion)
    appeal = Appeal.objects.get()
    assert opinion.status == OpinionStatus.DEMAND and opinion.appeal == appeal
    assert appeal.channel == Channel.MEETING and appeal.resident == people[1] and appeal.place == people[1].household.building
    assert appeal.opinions.get() == opinion
    with pytest.raises(TransitionNotAllowed):
        services.opinion_to_demand(actor=secretary, opinion=opinion)
    with pytest.raises(TransitionNotAllowed):
        services.opinion_answer(actor=secretary, opinion=opinion, answer="再答复一次")


def test_opinion_in_one_step(actors, forum, people):
    secretary = actors["secretary"]
    meeting = mk.held(secretary, forum, people)
    answered = mk.opinion(secretary, meeting, people[0], answer="已经安排，本周内修好")
    demand = mk.opinion(secretary, meeting, None, speaker="供热站代表", text="二号楼供暖管道需要更换", to_demand=True)
    assert answered.status == OpinionStatus.ANSWERED and demand.status == OpinionStatus.DEMAND
    assert demand.appeal.reporter_name == "供热站代表" and demand.appeal.place == meeting.place


@pytest.mark.parametrize("kwargs, field", [
    ({"text": "短"}, "text"),
    ({"resident": None, "speaker": ""}, "speaker"),
    ({"answer": "当场答复", "to_demand": True}, "answer"),
])
def test_opinion_field_errors(actors, forum, people, kwargs, field):
    meeting = mk.held(actors["secretary"], forum, people)
    arguments = {"text": "楼道灯坏了好几天了", "resident": people[0]} | kwargs
    with pytest.raises(ValidationError) as error:
        services.opinion_add(actor=actors["secretary"], meeting=meeting, **arguments)
    assert field in error.value.fields


def test_opinions_only_at_a_held_meeting(actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people)
    with pytest.raises(TransitionNotAllowed):
        mk.opinion(actors["secretary"], meeting, people[0])


def test_votes_cannot_exceed_attendance(actors, forum, people):
    meeting = mk.held(actors["secretary"], forum, people, attended=3)
    with pytest.raises(ValidationError) as error:
        services.decision_add(actor=actors["secretary"], meeting=meeting, text="增设充电桩", votes_for=3,
                              votes_against=1, votes_abstain=0)
    assert "不能超过实到人数" in str(error.value.fields["votes_for"][0])
    with pytest.raises(ValidationError):
        services.decision_add(actor=actors["secretary"], meeting=meeting, text="增设充电桩", votes_for=3)
    assert services.decision_add(actor=actors["secretary"], meeting=meeting, text="增设充电桩", votes_for=2,
                                 votes_against=1, votes_abstain=0).voted


def test_public_decisions_go_to_the_board_on_approval(actors, forum, people):
    secretary = actors["secretary"]
    meeting = mk.held(secretary, forum, people)
    services.decision_add(actor=secretary, meeting=meeting, text="东门增设非机动车棚", is_public=True)
    services.decision_add(actor=secretary, meeting=meeting, text="内部分工调整", is_public=False)
    services.meeting_minutes_save(actor=secretary, meeting=meeting, minutes="纪要")
    meeting = services.meeting_approve(actor=secretary, meeting=meeting)
    notice = Notice.objects.get(kind=NoticeKind.MEETING)
    assert meeting.decisions_notice == notice and notice.status == NoticeStatus.PUBLISHED
    assert "东门增设非机动车棚" in notice.body and "内部分工调整" not in notice.body
    assert notice.revisions.count() == 1


def test_worker_cannot_publish_public_decisions(actors, forum, people):
    meeting = mk.held(actors["worker"], forum, people)
    services.decision_add(actor=actors["worker"], meeting=meeting, text="东门增设非机动车棚", is_public=True)
    services.meeting_minutes_save(actor=actors["worker"], meeting=meeting, minutes="纪要")
    with pytest.raises(PermissionDenied):
        services.meeting_approve(actor=actors["worker"], meeting=meeting)


def test_notice_published_on_the_board(actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people, days_ago=-2)
    meeting = services.meeting_publish_notice(actor=actors["secretary"], meeting=meeting)
    assert meeting.call_notice.kind == NoticeKind.NOTICE and "社区活动室" in meeting.call_notice.body
    with pytest.raises(TransitionNotAllowed):
        services.meeting_publish_notice(actor=actors["secretary"], meeting=meeting)
    services.meeting_cancel(actor=actors["secretary"], meeting=meeting, reason="暴雨改期")
    meeting.call_notice.refresh_from_db()
    assert meeting.call_notice.status == NoticeStatus.WITHDRAWN and "暴雨改期" in meeting.call_notice.withdrawn_reason


def test_report_back_reads_current_states_and_carries_open_ones_forward(actors, forum, people):
    secretary = actors["secretary"]
    # given a meeting with one opinion answered and two made demands
    first = mk.held(secretary, forum, people, days_ago=60)
    answered = mk.opinion(secretary, first, people[0], answer="当场解释了停车收费标准")
    rejected = mk.opinion(secretary, first, people[1], text="希望取消小区停车费", to_demand=True)
    still_open = mk.opinion(secretary, first, people[2], text="三号楼外墙脱落需要维修", to_demand=True)
    # when one demand is settled before the next meeting
    appeal_reject(actor=secretary, appeal_id=rejected.appeal_id, reason="停车费经业主大会表决确定")
    second = mk.meeting(secretary, forum, residents=people, days_ago=30)
    live = {r.opinion: r for r in report_back(second)}
    # then the next meeting reads every opinion of the last one, with the demand's current state
    assert set(live) == {answered, rejected, still_open}
    assert live[rejected].is_closed and "不予受理" in live[rejected].state
    assert not live[still_open].is_closed and still_open.appeal.receipt_code in live[still_open].state
    # holding it freezes what was read out; the meeting after only gets the open one, carried forward
    second = services.meeting_hold(actor=secretary, meeting=second, attended=[])
    assert second.report_backs.count() == 3
    third = mk.meeting(secretary, forum, residents=people, days_ago=1)
    assert [r.opinion for r in report_back(third)] == [still_open]
    Appeal.objects.filter(pk=still_open.appeal_id).update(status=Status.CLOSED, reply_text="外墙已修复")
    row = report_back(third)[0]
    assert row.is_closed and row.reply == "外墙已修复"
    # and what the second meeting was told stays as it was
    assert not second.report_backs.get(opinion=still_open).is_closed


def test_report_back_is_per_series(actors, forum, tree, people):
    secretary = actors["secretary"]
    first = mk.held(secretary, forum, people, days_ago=10)
    mk.opinion(secretary, first, people[0], answer="已答复")
    other = mk.series(secretary, tree["community_a"], MeetingKind.PARTNERS, "A社区协办单位座谈会")
    assert report_back(mk.meeting(secretary, other, residents=people)) == []


@pytest.mark.parametrize("role, error", [
    ("admin", None), ("street", None), ("secretary", None), ("worker", None),
    ("grid", NotFound), ("building", NotFound), ("branch", NotFound), ("partner", NotFound),
    ("supervisor", PermissionDenied),
])
def test_role_matrix_for_calling_a_meeting(actors, forum, people, role, error):
    call = lambda: mk.meeting(actors[role], forum, residents=[])  # noqa: E731
    if error is None:
        assert call().status == MeetingStatus.PLANNED
    else:
        with pytest.raises(error):
            call()


def test_other_community_is_not_found(actors, tree):
    b_series = mk.series(actors["admin"], tree["community_b"], MeetingKind.FORUM, "B社区恳谈会")
    with pytest.raises(NotFound):
        mk.meeting(actors["secretary"], b_series)


def test_invitees_must_live_at_the_meeting_place(actors, forum, tree):
    stranger = mk.resident(tree["building_b1"], "外社区居民")
    with pytest.raises(ValidationError) as error:
        mk.meeting(actors["admin"], forum, residents=[stranger])
    assert "residents" in error.value.fields


def test_reception_day_requests_become_demands(actors, tree):
    secretary = actors["secretary"]
    reception = mk.reception(secretary, secretary, tree["community_a"])
    with pytest.raises(TransitionNotAllowed):
        services.opinion_add(actor=secretary, reception=reception, speaker="来访群众", text="孩子入学需要开居住证明")
    reception = receptions.reception_record(actor=secretary, reception=reception, visitors_count=3, summary="三人来访")
    opinion = services.opinion_add(actor=secretary, reception=reception, speaker="来访群众",
                                   text="孩子入学需要开居住证明", to_demand=True)
    assert opinion.appeal.channel == Channel.WALK_IN
    today = timezone.localdate()
    assert list(receptions_held(secretary, today, today)) == [reception]
    assert not receptions_held(actors["worker"], today, today).exists()


def test_reception_roster_rules(actors, tree):
    secretary = actors["secretary"]
    with pytest.raises(ValidationError) as error:
        mk.reception(secretary, actors["grid"], tree["community_a"])
    assert "leader" in error.value.fields
    mk.reception(secretary, actors["street"], tree["community_a"])  # a street leader receives in a community
    with pytest.raises(ValidationError) as error:
        mk.reception(secretary, actors["street"], tree["community_a"])
    assert "day" in error.value.fields
    later = mk.reception(secretary, secretary, tree["community_a"], day=timezone.localdate() + datetime.timedelta(days=7))
    with pytest.raises(ValidationError):
        receptions.reception_record(actor=secretary, reception=later, visitors_count=1)
    assert receptions.reception_cancel(actor=secretary, reception=later).status == ReceptionStatus.CANCELLED


def test_meetings_held_selector(actors, forum, people, tree):
    held = mk.held(actors["secretary"], forum, people, days_ago=3)
    mk.meeting(actors["secretary"], forum, residents=people, days_ago=2)  # called, not held
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    assert list(meetings_held(tree["community_a"].code, MeetingKind.FORUM, start, today)) == [held]
    assert list(meetings_held(tree["street"].code, None, start, today)) == [held]
    assert not meetings_held(tree["community_b"].code, None, start, today).exists()
    assert not meetings_held(tree["community_a"].code, MeetingKind.REPRESENTATIVES, start, today).exists()
