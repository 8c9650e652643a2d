"""Welfare review in the demo community: programmes, and applications in every state.

Every application is driven through the real services, so each has its audit trail, its public
notice on the board and its deadlines. The services read the time from django.utils.timezone; the
demo moves that clock back (`_clock`) so a year of files gets realistic dates, including one file
that missed the 15-day limit, one with an objection answered, and one with an objection still open.
"""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from . import services
from .eligibility import RuleSpec
from .models import AmountMode, Kinship, ObjectionOutcome, ProgrammeKind, ReReview, RuleKind, Status

REASONS = ["丈夫井下工伤后丧失劳动能力，妻子无固定收入", "本人患尿毒症长期透析，家庭开支大", "下岗多年，靠打零工维持生活",
           "独居老人，无退休金，子女无赡养能力", "孩子上大学，学费无力承担", "家中突发火灾，财物损失严重"]


@contextmanager
def _clock(day: datetime.date, hour: int = 10):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _programmes(actor, place) -> dict:
    p = {}
    p["dibao"] = services.programme_create(
        actor=actor, place=place, name="城市居民最低生活保障", kind=ProgrammeKind.DIBAO, amount_mode=AmountMode.GAP,
        income_threshold=Decimal("750"), period_months=12, review_interval_months=6, notice_days=7,
        description="家庭人均月收入低于当地保障标准的，按差额发放。",
        rules=[RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, Decimal("750"))])
    p["temporary"] = services.programme_create(
        actor=actor, place=place, name="临时救助", kind=ProgrammeKind.TEMPORARY, amount_mode=AmountMode.FIXED,
        amount=Decimal("1500"), requires_appraisal=False, requires_notice=False,
        description="遭遇火灾、交通事故等突发事件，基本生活暂时困难的家庭。",
        rules=[RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, Decimal("1500"))])
    p["medical"] = services.programme_create(
        actor=actor, place=place, name="大病医疗救助", kind=ProgrammeKind.MEDICAL, amount_mode=AmountMode.FIXED,
        amount=Decimal("3000"), notice_days=5, rules=[
            RuleSpec(RuleKind.REQUIRES_TAG, tag_code="serious_illness", tag_name="大病"),
            RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, Decimal("1500"))])
    p["school"] = services.programme_create(
        actor=actor, place=place, name="困难家庭助学金", kind=ProgrammeKind.SCHOOL, amount_mode=AmountMode.FIXED,
        amount=Decimal("2000"), notice_days=7, rules=[
            RuleSpec(RuleKind.REQUIRES_TAG, tag_code="school_difficulty", tag_name="子女上学困难"),
            RuleSpec(RuleKind.MIN_HOUSEHOLD_SIZE, Decimal("2"))])
    return p


def _pick(households, tags_by_household, tag: str, used: set, community_code: str):
    for household in households:
        if (household.pk not in used and tag in tags_by_household.get(household.pk, set())
                and household.head_id and household.place_code.startswith(community_code)):
            used.add(household.pk)
            return household
    return None


class _Story:
    """Drives one application from day to day through the services."""

    def __init__(self, users, programme, household, received: datetime.date, income_per_head: int, rng,
                 receiver: str = "worker"):
        self.u, self.programme, self.household, self.rng = users, programme, household, rng
        size = household.members.filter(status="living").count() or 1
        self.income = Decimal(income_per_head * size)
        with _clock(received, 9):
            self.app = services.application_submit(actor=users[receiver], programme=programme, household=household,
                                                    applicant=household.head, reason=rng.choice(REASONS),
                                                    declared_income=self.income)
        self.day = received

    def after(self, days: int) -> datetime.date:
        self.day = self.day + datetime.timedelta(days=days)
        return self.day

    def verify(self, days=8, recommends=True, income=None):
        with _clock(self.after(days), 15):
            self.app = services.application_verify(
                actor=self.u["worker"], application=self.app, visited_on=self.day, staff_1=self.u["worker"],
                staff_2=self.u["secretary"], neighbours="走访左右邻居两户，反映情况属实。", records="查询车辆、房产、工商登记，均无。",
                findings="家中陈设简陋，情况属实。" if recommends else "核实有稳定经营收入，不符合条件。",
                verified_income=income if income is not None else self.income, recommends=recommends)
        return self

    def appraise(self, days=4, attendance=9, votes_for=8):
        with _clock(self.after(days), 19):
            self.app = services.application_appraise(
                actor=self.u["secretary"], application=self.app, held_on=self.day, members=11, attendance=attendance,
                votes_for=votes_for, votes_against=attendance - votes_for, minutes="居民代表逐一发表意见后表决。")
        return self

    def objection(self, days=2, text="听说该户儿子在外地开店，收入不低。"):
        with _clock(self.after(days), 20):
            self.objection_row = services.objection_file_public(notice=self.app.notice, text=text)
        return self

    def answer(self, days=1, outcome=ObjectionOutcome.DISMISSED):
        with _clock(self.after(days), 16):
            services.objection_answer(actor=self.u["worker"], objection=self.objection_row, outcome=outcome,
                                      answer="经入户和向其子所在地社区核实，其子店铺已于去年关闭，异议不成立。")
        self.app.refresh_from_db()
        return self

    def close(self):
        self.day = self.app.notice_end + datetime.timedelta(days=1)
        with _clock(self.day, 9):
            self.app = services.application_close_notice(actor=self.u["worker"], application=self.app)
        return self

    def approve(self, days=3):
        with _clock(self.after(days), 11):
            self.app = services.application_approve(actor=self.u["street"], application=self.app,
                                                    entitlement_start=self.day.replace(day=1))
        return self

    def reject(self, days=3, reason="核实家庭收入超过保障标准。"):
        with _clock(self.after(days), 11):
            self.app = services.application_reject(actor=self.u["street"], application=self.app, reason=reason)
        return self

    def pay(self, until: datetime.date):
        period = self.app.entitlement_start.replace(day=1)
        end = min(until, self.app.entitlement_end or until)
        while period <= end:
            paid_on = period.replace(day=10)
            if paid_on > until:
                break
            with _clock(paid_on, 10):
                services.disbursement_record(actor=self.u["worker"], application=self.app, period=period,
                                             amount=self.app.approved_amount, paid_on=paid_on)
            period = (period + datetime.timedelta(days=32)).replace(day=1)
            if not self.app.programme.period_months:
                break
        return self


def build(ctx):
    users, ledger = ctx.shared.get("users", {}), ctx.shared.get("residents", {})
    if not ledger.get("households") or not {"worker", "secretary", "street"} <= set(users):
        return
    rng, today = ctx.random, timezone.localdate()
    places = ctx.shared["places"]
    programmes = _programmes(users["street"], places["mine"])
    households = ledger["households"]
    from minqing.visits.demo import _tags

    tags = _tags(households)
    community = places["communities"][0].code
    used: set[int] = set()

    def pick(tag):
        return _pick(households, tags, tag, used, community)

    def story(programme, tag, days_ago, per_head=350):
        household = pick(tag)
        if household is None:
            return None
        return _Story(users, programmes[programme], household, today - datetime.timedelta(days=days_ago), per_head, rng)

    stories = []
    # approved 低保 with a year of payments; one verified late (outside the 15-day limit)
    for days_ago, verify_after in ((330, 7), (290, 9), (250, 18), (200, 6)):
        s = story("dibao", "dibao", days_ago)
        if s:
            stories.append(s.verify(verify_after).appraise().close().approve().pay(today))
    # stopped at the six-month re-review: the son found work
    s = story("dibao", "hardship", 320)
    if s:
        s.verify().appraise().close().approve().pay(today - datetime.timedelta(days=120))
        with _clock(s.app.next_review_due, 15):
            services.application_rereview(actor=users["street"], application=s.app, reviewed_on=s.app.next_review_due,
                                          verified_income=Decimal("6800"), findings="儿子已在矿上就业，月收入约 4500 元。",
                                          outcome=ReReview.Outcome.STOP)
        stories.append(s)
    # medical relief approved after an objection was answered
    s = story("medical", "serious_illness", 150)
    if s:
        stories.append(s.verify().appraise().objection().answer().close().approve().pay(today))
    # temporary relief: no appraisal, no notice — straight up after verification
    s = story("temporary", "hardship", 60, per_head=600)
    if s:
        stories.append(s.verify(3).approve(2).pay(today))
    # rejected at the appraisal (under two thirds in favour) and by the street after a negative finding
    s = story("dibao", "hardship", 120)
    if s:
        stories.append(s.verify().appraise(attendance=9, votes_for=5))
    s = story("dibao", "unemployed", 90)
    if s:
        stories.append(s.verify(recommends=False, income=Decimal("5200")).reject())
    # school aid withdrawn by the applicant
    s = story("school", "school_difficulty", 45)
    if s:
        s.verify()
        with _clock(s.after(2)):
            services.application_withdraw(actor=users["worker"], application=s.app, reason="孩子已获得学校奖学金，申请人主动撤回。")
        stories.append(s)
    # an objection upheld: back to home verification
    s = story("dibao", "hardship", 30)
    if s:
        stories.append(s.verify(5).appraise(2).objection(1, "该户有一辆营运出租车，一直在跑车。").answer(
            2, ObjectionOutcome.UPHELD))
    # open files: sent up, on notice (one with an open objection), waiting for the appraisal, just received
    s = story("dibao", "dibao", 26)
    if s:
        stories.append(s.verify(6).appraise(3).close())
    s = story("dibao", "elder_alone", 14)
    if s:
        stories.append(s.verify(5).appraise(6).objection(1, "该老人的女儿每月给生活费，应核实。"))
    s = story("school", "school_difficulty", 10)
    if s:
        stories.append(s.verify(4).appraise(3))
    s = story("dibao", "disability", 9)
    if s:
        stories.append(s.verify(6))
    for tag in ("hardship", "elder_alone"):
        s = story("dibao", tag, 2)
        if s:
            stories.append(s)
    # a staff member's mother applies: declared, flagged to the supervisor, the worker must recuse
    household = pick("elder_alone")
    if household is not None:
        with _clock(today - datetime.timedelta(days=20)):
            services.staff_relation_declare(actor=users["worker"], staff=users["worker"], household=household,
                                            kinship=Kinship.PARENT, relative_name=household.head.name)
        stories.append(_Story(users, programmes["dibao"], household, today - datetime.timedelta(days=3), 300, rng,
                              receiver="secretary"))
    counts = {}
    for s in stories:
        s.app.refresh_from_db()
        counts[s.app.status] = counts.get(s.app.status, 0) + 1
    ctx.log(f"{len(programmes)} welfare programmes, {len(stories)} applications: "
            + ", ".join(f"{Status(k).label} {v}" for k, v in counts.items()))
