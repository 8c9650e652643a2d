"""Demo disputes with a story, a year of screening rounds, two stability assessments, and the alerts
the warning rules raise over them (appeals from the demands demo, plus the property-fee complaints
added here).

- 原渝阳机修厂改制遗留欠薪: 36 former workers, first serious, then major with signs of petitioning past
  the next level and banners; its deadline has passed → a red overdue alert and a keyword alert.
- 3栋楼上漏水: a neighbour quarrel between two ledger residents, settled by a printed agreement,
  honoured at the follow-up and closed.
- 安居物业上调物业费: many residents complain within days → a collective-incident alert, and a dispute.

Everything is written through the services; only timestamps are moved back afterwards (the services
stamp "now", and a demo needs a past) — see `_back_date`.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from minqing.appeals import services as appeal_services
from minqing.appeals.intake import appeal_submit
from minqing.appeals.linking import appeal_link
from minqing.residents.models import ResidentTag

from .models import (
    Agreement, Consultation, Dispute, EscalationSign, Kind, MediationSession, Referral, RiskLevel, ScreeningRound,
)
from .services import agreements, assessment, disputes, mediation
from .services.screening import screening_round_file

FINDINGS = ["发现邻里因停车位发生口角，已当场劝解", "一户老人与子女因赡养费有矛盾，已登记跟进", "楼道堆物引发邻里争执，已协调清理",
            "两户因装修噪音争吵，已约谈", "反映物业维修不及时，已转物业"]
SMALL_DISPUTES = [
    (Kind.NEIGHBOUR, "楼道堆放杂物引发争执"), (Kind.FAMILY, "子女赡养费分担纠纷"), (Kind.NEIGHBOUR, "装修噪音扰邻"),
    (Kind.PROPERTY, "车库漏水维修责任纠纷"), (Kind.CONTRACT, "邻居借款未还纠纷"), (Kind.NEIGHBOUR, "宠物狗伤人赔偿"),
    (Kind.FAMILY, "老人房产继承分歧"), (Kind.LABOUR, "小区保洁员工资拖欠"), (Kind.PROPERTY, "停车位占用纠纷"),
    (Kind.NEIGHBOUR, "空调外机滴水纠纷"), (Kind.LAND, "棚改补偿面积认定争议"), (Kind.NEIGHBOUR, "楼上漏水渗墙"),
]
PROPERTY_FEE_TEXTS = [
    "安居物业通知物业费从每平米0.6元涨到0.9元，没开业主大会，不同意涨价",
    "物业费涨价百分之五十，服务一点没变好，电梯三天两头坏",
    "物业公司单方面上调物业费，我们退休工人负担不起",
    "物业费涨了，楼道卫生还是没人管，要求物业说明涨价依据",
    "不同意物业费上涨，物业服务差，垃圾几天不清运",
    "听说好多人都不交物业费了，物业费上涨要有个说法，不然大家集体去找矿上",
    "物业费上调没有公示，也没有征求业主意见",
]


def _back_date(model, pk: int, **fields) -> None:
    """Demo history only: move the timestamps a service stamped 'now' into the past."""
    model.objects.filter(pk=pk).update(**fields)


def build(ctx):
    users, places = ctx.shared["users"], ctx.shared["places"]
    now = timezone.now()
    yuyang_residents = [r for r in ctx.shared.get("residents", {}).get("residents", [])
                        if r.place_code.startswith(places["communities"][0].code) and r.household_id]
    _screening_year(ctx, users, places)
    _small_disputes(ctx, users, places, now)
    _wage_dispute(users, places, now)
    _leak_dispute(users, places, yuyang_residents, now)
    _property_fee(ctx, users, places, yuyang_residents, now)
    _repeated_demands(users, places, now)
    _assessments(users, places)
    ctx.log(f"{Dispute.objects.count()} disputes, {ScreeningRound.objects.count()} screening rounds")


def _filer_for(grid, users, places):
    grids = places["grids"]
    if grid == grids[0]:
        return users["grid1"]
    if grid == grids[2]:
        return users["grid3"]
    return users["xincun"] if grid in grids[5:] else users["worker"]


def _screening_year(ctx, users, places):
    """52 weeks of rounds for every grid: most filed, mostly "nothing found"; a few silent weeks, and
    this week two grids have not filed yet."""
    rng, today = ctx.random, timezone.localdate()
    grids = places["grids"]
    for weeks_ago in range(52, -1, -1):
        day = today - datetime.timedelta(weeks=weeks_ago)
        for index, grid in enumerate(grids):
            if (weeks_ago == 0 and index in (3, 6)) or (weeks_ago and rng.random() < 0.06):
                continue  # silent
            found = rng.random() < 0.18
            screening_round_file(actor=_filer_for(grid, users, places), grid=grid, day=day, found_nothing=not found,
                                 summary=rng.choice(FINDINGS) if found else "",
                                 households_visited=rng.randint(15, 60))
    for round_ in ScreeningRound.objects.all().only("id", "period_end"):
        stamp = timezone.make_aware(datetime.datetime.combine(round_.period_end, datetime.time(17, 30)))
        _back_date(ScreeningRound, round_.pk, created_at=min(stamp, timezone.now()))


def _accept(dispute, users, deadline_days=30, owners=None):
    return disputes.dispute_accept(actor=users["worker"], dispute_id=dispute.pk, leader=users["secretary"],
                                   staff=users["worker"], owners=owners,
                                   deadline=timezone.localdate() + datetime.timedelta(days=deadline_days))


def _two_parties(dispute, users, applicant="甲方", respondent="乙方"):
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="applicant", name=applicant,
                               address="渝阳社区")
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="respondent", name=respondent,
                               address="渝阳社区")


def _session(dispute, users, notes, when=None):
    return mediation.mediation_session_record(
        actor=users["worker"], dispute_id=dispute.pk, held_at=when or timezone.now(), mediator=users["worker"],
        venue="渝阳社区人民调解室", participants="双方当事人、网格员、调解员王海燕", notes=notes)


def _agree(dispute, users, deadline, terms="双方握手言和，责任方承担维修费用。"):
    return agreements.agreement_make(
        actor=users["worker"], dispute_id=dispute.pk, mediator=users["worker"], committee="渝阳社区人民调解委员会",
        facts=dispute.description, matters_in_dispute="损失承担与今后相处", responsibilities="双方各有过错，责任方负主要责任",
        terms=terms, performance_method="当面交付，社区见证", performance_place="渝阳社区居委会",
        performance_deadline=deadline)


def _small_disputes(ctx, users, places, now):
    """A year of ordinary disputes: most settled within the month, a few slower, one referred."""
    rng, today = ctx.random, timezone.localdate()
    yuyang_grids = places["grids"][:5]
    for index, (kind, title) in enumerate(SMALL_DISPUTES):
        grid = yuyang_grids[index % len(yuyang_grids)]
        dispute = disputes.dispute_report(actor=users["worker"], place=grid, title=title, kind=kind,
                                          description=f"{title}，双方多次争吵，网格员排查发现。",
                                          people_involved=rng.randint(2, 5))
        _two_parties(dispute, users)
        _accept(dispute, users)
        _session(dispute, users, "听取双方陈述，释法说理，双方情绪平稳。")
        if index == 10:
            mediation.dispute_fail(actor=users["worker"], dispute_id=dispute.pk, reason="补偿标准分歧大，一方坚持诉讼。")
            mediation.dispute_refer(actor=users["worker"], dispute_id=dispute.pk, destination=Referral.Destination.COURT,
                                    receiving_body="綦江区人民法院", note="告知诉讼途径，移送调解材料。")
        else:
            _agree(dispute, users, deadline=today - datetime.timedelta(days=3))
            agreements.agreement_follow_up(actor=users["worker"], dispute_id=dispute.pk, honoured=True,
                                           note="双方均已履行，关系缓和。")
        started = now - datetime.timedelta(days=340 - index * 27)
        took = datetime.timedelta(days=rng.choice([6, 9, 12, 15, 21, 26, 38, 45]))
        _back_date(Dispute, dispute.pk, created_at=started, accepted_at=started + datetime.timedelta(days=1),
                   settled_at=started + took if index != 10 else None, closed_at=started + took,
                   deadline=(started + datetime.timedelta(days=31)).date())
        MediationSession.objects.filter(dispute=dispute).update(held_at=started + datetime.timedelta(days=3))


def _wage_dispute(users, places, now):
    grid = places["grids"][2]
    dispute = disputes.dispute_report(
        actor=users["grid3"], place=grid, title="原渝阳机修厂改制遗留欠薪", kind=Kind.RESTRUCTURING,
        description="原渝阳机修厂2009年改制，36名职工的经济补偿金和拖欠工资至今未结清。职工多次到社区反映，情绪激动。",
        people_involved=36, risk_level=RiskLevel.SERIOUS, risk_reasons="涉及36人，时间跨度长，职工多为困难家庭",
        escalation_signs=[EscalationSign.WAGE_ARREARS])
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="applicant", name="周德明等36名原职工",
                               address="渝阳社区第三地段", representative="周德明")
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="respondent", party_kind="organisation",
                               name="渝阳煤矿（原机修厂主管单位）", representative="矿改制办")
    _accept(dispute, users, deadline_days=20, owners={"stabilise": users["grid3"], "supervise": users["street"]})
    _session(dispute, users, "职工代表陈述诉求，矿改制办表示需请示公司，未达成一致。",
             when=now - datetime.timedelta(days=25))
    disputes.dispute_assess_risk(
        actor=users["worker"], dispute_id=dispute.pk, risk_level=RiskLevel.MAJOR, people_involved=36,
        risk_reasons="职工在微信群商量集体到区里越级上访，有人准备拉横幅、堵矿门",
        escalation_signs=[EscalationSign.WAGE_ARREARS, EscalationSign.OVER_LEVEL, EscalationSign.BANNERS,
                          EscalationSign.COLLECTIVE])
    _back_date(Dispute, dispute.pk, created_at=now - datetime.timedelta(days=40),
               accepted_at=now - datetime.timedelta(days=38), deadline=timezone.localdate() - datetime.timedelta(days=5))


def _leak_dispute(users, places, residents, now):
    if len(residents) < 2:
        return
    upstairs, downstairs = residents[40], residents[41]
    place = places["grids"][0]
    dispute = disputes.dispute_report(
        actor=users["grid1"], place=place, title="3栋楼上卫生间漏水纠纷", kind=Kind.NEIGHBOUR,
        description="楼上卫生间防水层老化漏水，楼下天花板和墙面受损，双方多次争吵，楼下住户扬言要找人理论。",
        people_involved=2, risk_level=RiskLevel.GENERAL)
    disputes.dispute_party_add(actor=users["grid1"], dispute_id=dispute.pk, side="applicant", resident=downstairs)
    disputes.dispute_party_add(actor=users["grid1"], dispute_id=dispute.pk, side="respondent", resident=upstairs)
    _accept(dispute, users, deadline_days=15)
    _session(dispute, users, "第一次调解：双方对损失金额分歧较大。", when=now - datetime.timedelta(days=18))
    _session(dispute, users, "第二次调解：请物业出具漏水鉴定，双方同意按鉴定结果处理。", when=now - datetime.timedelta(days=14))
    _agree(dispute, users, deadline=timezone.localdate() - datetime.timedelta(days=4),
           terms="一、楼上住户于履行期限前请施工队重做卫生间防水；\n二、楼上住户赔偿楼下住户墙面修复费1200元，当面一次付清；\n"
                 "三、楼下住户收款后出具收条，双方不再就此事争执。")
    agreements.agreement_follow_up(actor=users["grid1"], dispute_id=dispute.pk, honoured=True,
                                   note="上门查看防水已重做，赔偿款已付清，双方见面打招呼了。")
    _back_date(Dispute, dispute.pk, created_at=now - datetime.timedelta(days=21),
               accepted_at=now - datetime.timedelta(days=20), settled_at=now - datetime.timedelta(days=13))
    _back_date(Agreement, dispute.agreements.first().pk, created_at=now - datetime.timedelta(days=13))


def _property_fee(ctx, users, places, residents, now):
    community = places["communities"][0]
    dispute = disputes.dispute_report(
        actor=users["worker"], place=community, title="安居物业上调物业费引发业主不满", kind=Kind.PROPERTY,
        description="安居物业公司通知物业费由每平米0.6元上调至0.9元，未召开业主大会。多名业主拒缴，有人在群里号召集体到矿上讨说法。",
        people_involved=120, risk_level=RiskLevel.SERIOUS, risk_reasons="涉及全小区，已有集体行动苗头",
        escalation_signs=[EscalationSign.COLLECTIVE])
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="applicant", name="渝阳社区业主代表",
                               address="渝阳社区")
    disputes.dispute_party_add(actor=users["worker"], dispute_id=dispute.pk, side="respondent", party_kind="organisation",
                               name="安居物业公司", representative="客服部经理")
    _accept(dispute, users, deadline_days=25)
    if len(residents) < 200:
        return
    first = None
    for index, text in enumerate(PROPERTY_FEE_TEXTS):
        resident = residents[100 + index * 23]
        building = next(b for b in places["buildings"] if b.code == resident.place_code)
        appeal = appeal_submit(actor=users["worker"], place=building, text=text, title="物业费上涨",
                               channel="walk_in", kind="complaint", resident=resident,
                               submitted_at=now - datetime.timedelta(days=6 - index % 6, hours=index))
        if first is None:
            first = appeal
        elif index % 2:
            appeal_link(actor=users["worker"], appeal_id=appeal.pk, target_id=first.pk, kind="matter")


def _repeated_demands(users, places, now):
    """An elder living alone whose leaking roof was "fixed" twice and is still leaking (reopened twice),
    and whose second demand has waited three weeks: the reopened-matter and care-tag rules both fire."""
    community = places["communities"][0].code
    tagged = (ResidentTag.objects.current().filter(place_code__startswith=community, tag__name__contains="独居")
              .select_related("resident").order_by("id").first())
    if tagged is None or tagged.resident.household_id is None:
        return
    elder = tagged.resident
    building = next(b for b in places["buildings"] if b.code == elder.place_code)
    worker, secretary = users["worker"], users["secretary"]
    roof = appeal_submit(actor=worker, place=building, resident=elder, channel="phone", kind="help",
                         title="顶楼漏雨", text="顶楼屋面漏雨，卧室墙面发霉，下雨就得拿盆接水。",
                         submitted_at=now - datetime.timedelta(days=40))
    appeal_services.appeal_accept(actor=worker, appeal_id=roof.pk)
    for attempt in ("已安排物业修补屋面裂缝。", "已再次修补并做闭水试验。"):
        appeal_services.appeal_dispatch(actor=worker, appeal_id=roof.pk, leader=secretary, handler_user=worker)
        appeal_services.appeal_start(actor=worker, appeal_id=roof.pk)
        appeal_services.appeal_reply(actor=worker, appeal_id=roof.pk, outcome="solved", text=attempt)
        appeal_services.appeal_follow_up(actor=worker, appeal_id=roof.pk, satisfaction="dissatisfied",
                                         note="老人说下雨还是漏。")
    pension = appeal_submit(actor=worker, place=building, resident=elder, channel="walk_in", kind="help",
                            title="高龄津贴没到账", text="八十岁高龄津贴三个月没到账，想问问怎么回事。",
                            submitted_at=now - datetime.timedelta(days=21))
    appeal_services.appeal_accept(actor=worker, appeal_id=pension.pk)


def _assessments(users, places):
    community = places["communities"][0]
    heating = assessment.assessment_open(
        actor=users["worker"], place=community, decision="供暖费由每平米4.2元调整为5.0元", decision_maker="渝阳煤矿后勤服务中心",
        background="燃煤价格上涨，供热站连续三年亏损，拟调整供暖收费标准。", affected_people=2300)
    assessment.consultation_add(actor=users["worker"], assessment_id=heating.pk, method=Consultation.Method.MEETING,
                                held_on=timezone.localdate() - datetime.timedelta(days=10), people_count=45,
                                support_count=11, summary="多数居民认为一次涨幅过大，退休职工负担重，建议分步调整并对困难家庭补贴。")
    assessment.consultation_add(actor=users["worker"], assessment_id=heating.pk, method=Consultation.Method.VISIT,
                                held_on=timezone.localdate() - datetime.timedelta(days=6), people_count=120,
                                support_count=38, summary="入户走访120户，低保、独居老人家庭普遍担心交不起。")
    assessment.risk_point_add(actor=users["worker"], assessment_id=heating.pk, description="困难家庭无力缴费，冬季停暖引发冲突",
                              likelihood=4, impact=4, measure="困难家庭供暖补贴，缓缴不停暖")
    assessment.risk_point_add(actor=users["worker"], assessment_id=heating.pk, description="部分居民联名抵制、集体到矿上反映",
                              likelihood=3, impact=4, measure="召开价格听证会，公开成本")
    assessment.assessment_conclude(actor=users["worker"], assessment_id=heating.pk, overall_level="high",
                                   measures="分两个采暖季调整到位；困难家庭补贴；召开听证会并公示成本。", conclusion="defer",
                                   conclusion_reason="风险高，补贴方案与听证会落实后再实施。")
    assessment.assessment_sign(actor=users["secretary"], assessment_id=heating.pk)
    assessment.assessment_open(
        actor=users["worker"], place=community, decision="第二地段棚户区改造房屋征收", decision_maker="綦江区房屋征收办",
        background="第二地段8栋危旧房纳入棚户区改造，拟征收186户。", affected_people=520)
