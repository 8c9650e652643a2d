"""A year of meetings and reception days in the demo community, all through the services.

Four series: the residents' representatives' meeting (quarterly, with its quorum), the sentiment
forum 民情恳谈会 (every two months), the talk with the partner units (heating, property, water,
power; quarterly) and the party representatives' liaison meeting (twice). Each held meeting hears a
few opinions: answered on the spot, or made demands that then went on to every state (rejected,
dispatched, replied, closed, still waiting), so the next meeting's report back has something to read
and a few carry forward. The last forum is still to come (planned, its notice on the public board),
its last meeting's opinions are still open. Leaders' reception days: a monthly roster for the
secretary and the street leader, with requests made demands.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from . import receptions, services
from .models import MeetingKind

OPINIONS = [
    "三号楼楼道灯坏了，晚上老人上下楼不安全", "小区停车位不够，消防通道经常被占", "冬季供暖温度偏低，希望供热站检查管网",
    "希望社区增加老年人健身器材", "垃圾清运不及时，夏天气味很大", "五号楼外墙瓷砖脱落，担心砸到行人",
    "希望开办暑期少儿托管班", "小区南门路面塌陷积水", "物业费收支希望公开", "矿区老旧管网漏水，水压不足",
    "电动车飞线充电存在隐患，希望建充电棚", "希望社区卫生站延长周末开放时间",
]
ANSWERS = ["已当场解释政策，居民表示理解", "已列入明年社区微改造计划", "物业当场承诺本周内处理", "由社区网格员会后上门说明"]
REQUESTS = ["孩子入学需要开具居住证明", "咨询城乡低保申请条件", "反映邻居装修噪音扰民", "咨询养老保险补缴办法"]


def build(ctx):
    users, ledger = ctx.shared.get("users", {}), ctx.shared.get("residents", {})
    if not users or not ledger.get("residents"):
        return
    community = ctx.shared["places"]["communities"][0]
    people = [r for r in ledger["residents"] if r.place_code.startswith(community.code)]
    story = _Story(ctx, community, people)
    story.run()
    ctx.log(f"{story.meetings} meetings, {story.opinions} opinions, {story.receptions} reception days")


class _Story:
    def __init__(self, ctx, community, people):
        self.rng, self.users, self.community = ctx.random, ctx.shared["users"], community
        self.units = list(ctx.shared.get("partner_units", {}).values())
        self.people, self.now = people, timezone.now()
        self.secretary, self.worker = self.users["secretary"], self.users["worker"]
        self.meetings = self.opinions = self.receptions = 0

    def run(self):
        reps = self.series(MeetingKind.REPRESENTATIVES, "渝阳社区居民代表会议")
        forum = self.series(MeetingKind.FORUM, "渝阳社区民情恳谈会")
        talk = self.series(MeetingKind.PARTNERS, "渝阳社区水电气暖协办单位座谈会")
        party = self.series(MeetingKind.PARTY_REPS, "渝阳社区党员代表联系会议")
        representatives = self.rng.sample(self.people, 25)
        for days in (350, 260, 170, 80):
            self.meeting(reps, days, residents=representatives, location="社区二楼会议室", decisions=True)
        for days in (330, 270, 210, 150, 90, 30):
            self.meeting(forum, days, residents=self.rng.sample(self.people, 18), location="渝阳广场（坝坝会）",
                         last=days == 30)
        for days in (300, 200, 100, 15):
            self.meeting(talk, days, residents=self.rng.sample(self.people, 6), units=self.units,
                         location="社区服务中心")
        for days in (240, 60):
            self.meeting(party, days, residents=self.rng.sample(self.people, 12), location="党群服务中心")
        upcoming = self.call(forum, -7, residents=self.rng.sample(self.people, 20), location="渝阳广场（坝坝会）")
        services.meeting_publish_notice(actor=self.secretary, meeting=upcoming)
        self.reception_days()

    def series(self, kind, name):
        return services.series_create(actor=self.secretary, place=self.community, name=name, kind=kind)

    def call(self, series, days_ago, *, residents, location, units=()):
        at = (self.now - datetime.timedelta(days=days_ago)).replace(hour=11, minute=0, second=0, microsecond=0)
        self.meetings += 1
        return services.meeting_call(actor=self.secretary, series=series, starts_at=at, location=location,
                                     agenda="通报上次会议意见办理情况；听取居民意见", residents=residents,
                                     partner_units=units, staff=[self.worker])

    def meeting(self, series, days_ago, *, residents, location, units=(), decisions=False, last=False):
        meeting = self.call(series, days_ago, residents=residents, location=location, units=units)
        invitees = list(meeting.invitees.all())
        present = [i.pk for i in invitees if self.rng.random() < 0.8]
        meeting = services.meeting_hold(actor=self.secretary, meeting=meeting, attended=present)
        for text in self.rng.sample(OPINIONS, 3):
            self.opinion(meeting, text, residents, open_=last)
        if decisions:
            n = meeting.attendance_count
            services.decision_add(actor=self.secretary, meeting=meeting, text="同意在东门增设电动车集中充电棚",
                                  votes_for=n - 2, votes_against=1, votes_abstain=1, is_public=True)
        if last:
            return meeting  # minutes not written yet: its opinions still wait for an answer
        services.meeting_minutes_save(actor=self.secretary, meeting=meeting,
                                      minutes=f"到会{meeting.attendance_count}人。通报了上次会议意见办理情况，听取了居民意见。")
        meeting = services.meeting_approve(actor=self.secretary, meeting=meeting)
        if days_ago > 40:
            services.meeting_close(actor=self.secretary, meeting=meeting)
        return meeting

    def opinion(self, meeting, text, residents, *, open_=False):
        self.opinions += 1
        who = self.rng.choice(residents)
        if open_:
            return services.opinion_add(actor=self.secretary, meeting=meeting, resident=who, text=text)
        if self.rng.random() < 0.4:
            return services.opinion_add(actor=self.secretary, meeting=meeting, resident=who, text=text,
                                        answer=self.rng.choice(ANSWERS))
        opinion = services.opinion_add(actor=self.secretary, meeting=meeting, resident=who, text=text, to_demand=True)
        _advance(self, opinion.appeal, self.rng.choice(["submitted", "rejected", "dispatched", "replied", "closed",
                                                         "closed"]))
        return opinion

    def reception_days(self):
        today = timezone.localdate()
        street = self.users.get("street")
        for months_ago in range(11, -2, -1):
            month = today.year * 12 + today.month - 1 - months_ago
            day = datetime.date(month // 12, month % 12 + 1, 15)
            for leader in (self.secretary, street):
                if leader is None:
                    continue
                reception = receptions.reception_schedule(actor=self.secretary, leader=leader, place=self.community,
                                                          day=day, location="社区服务中心接待室")
                self.receptions += 1
                if day > today:
                    continue
                reception = receptions.reception_record(actor=self.secretary, reception=reception,
                                                        visitors_count=self.rng.randint(1, 6), summary="接待来访群众。")
                text = self.rng.choice(REQUESTS)
                services.opinion_add(actor=self.secretary, reception=reception, speaker="来访群众", text=text,
                                     **({"to_demand": True} if "反映" in text else {"answer": "已当场答复"}))


def _advance(story, appeal, target: str) -> None:
    """Move a demand on through the demands app's own services."""
    from minqing.appeals import services as appeals
    from minqing.appeals.models import Outcome, Satisfaction

    secretary, worker = story.secretary, story.worker
    if target == "submitted":
        return
    if target == "rejected":
        appeals.appeal_reject(actor=secretary, appeal_id=appeal.pk, reason="属业主大会表决事项，已引导居民依程序提出")
        return
    appeals.appeal_accept(actor=secretary, appeal_id=appeal.pk)
    appeals.appeal_dispatch(actor=secretary, appeal_id=appeal.pk, leader=secretary, handler_user=worker)
    if target == "dispatched":
        return
    appeals.appeal_start(actor=worker, appeal_id=appeal.pk)
    appeals.appeal_reply(actor=worker, appeal_id=appeal.pk, outcome=Outcome.SOLVED,
                         text="已协调相关单位处理完毕，并上门告知居民。")
    if target == "replied":
        return
    appeal = appeals.appeal_follow_up(actor=secretary, appeal_id=appeal.pk, satisfaction=Satisfaction.SATISFIED)
    if appeal.status != "closed":
        appeals.appeal_close(actor=secretary, appeal_id=appeal.pk)
