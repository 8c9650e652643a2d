"""A year of assessment for the demo: the mine's yearly and quarterly schemes for its communities and a
staff scheme, the mine's own scores (上评下), four quarters of 四无 checks on 渝阳社区's buildings with
the awards they led to (some published on the board), and the leaders' studies for the 五个一.
Everything through the services, so every row has its audit trail."""
from __future__ import annotations

import datetime

from django.utils import timezone

from minqing.core.errors import ValidationError

from . import services
from .models import AwardKind
from .services import WeightedIndicator

COMMUNITY_WEIGHTS = {"response_rate": 10, "resolution_rate": 10, "satisfaction_rate": 15, "visit_coverage": 10,
                     "help_coverage": 10, "disputes_on_time": 10, "welfare_in_time": 5, "meetings_reported_back": 5,
                     "survey_score": 10, "cadre_complaints": 5, "top_down": 10}
STAFF_WEIGHTS = {"resolution_rate": 20, "satisfaction_rate": 20, "visit_coverage": 15, "survey_score": 20,
                 "cadre_complaints": 10, "top_down": 15}
STUDIES = [("老旧小区加装电梯意愿调研", "六成住户愿意按楼层分摊费用，一楼住户顾虑采光。"),
           ("矿区退休职工供暖费补贴调研", "独居老人对补贴政策知晓率不足三成，需要上门宣传。"),
           ("地段夜间治安巡逻情况调研", "巡逻队员平均年龄 62 岁，需要吸收年轻志愿者。")]
FAILURES = ["楼道堆放杂物未清理", "发生一起邻里口角，已调解", "楼顶违规晾晒、堆放"]


def build(ctx):
    users, places = ctx.shared.get("users", {}), ctx.shared.get("places", {})
    if not users or not places:
        return
    rng, today = ctx.random, timezone.localdate()
    street, leader = users["street"], places["mine"]
    year_start = today.replace(month=1, day=1)
    scheme = services.scheme_create(actor=street, street=leader, name=f"{today.year}年度社区工作考核",
                                    subject="community", period_kind="year", period_start=year_start,
                                    period_end=today.replace(month=12, day=31),
                                    lines=[WeightedIndicator(c, w) for c, w in COMMUNITY_WEIGHTS.items()])
    services.scheme_publish(actor=street, scheme=scheme)
    for community, score in zip(places["communities"], ("88", "81")):
        services.top_down_enter(actor=street, scheme=scheme, place=community, score=score,
                                note="台账规范，走访扎实" if score == "88" else "矛盾排查需加强")
    services.scheme_compute(actor=street, scheme=scheme)
    _closed_quarter(street, leader, today)
    _staff_scheme(street, leader, year_start, today, rng)
    _civility(ctx, users, places, today, rng)
    for (title, findings), who, months_ago in zip(STUDIES, ("secretary", "street", "xincun"), (2, 5, 8)):
        services.study_record(actor=users[who], place=places["communities"][0 if who != "xincun" else 1],
                              title=title, findings=findings,
                              done_on=today - datetime.timedelta(days=30 * months_ago))


def _closed_quarter(street, mine, today):
    quarter = (today.month - 1) // 3
    if quarter == 0:
        return
    start = datetime.date(today.year, 3 * quarter - 2, 1)
    end = datetime.date(today.year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    scheme = services.scheme_create(actor=street, street=mine, name=f"{today.year}年第{quarter}季度社区考核",
                                    subject="community", period_kind="quarter", period_start=start, period_end=end,
                                    lines=[WeightedIndicator(c, w) for c, w in COMMUNITY_WEIGHTS.items()])
    services.scheme_publish(actor=street, scheme=scheme)
    services.scheme_close(actor=street, scheme=scheme)


def _staff_scheme(street, mine, start, today, rng):
    from .scoring import staff_of

    scheme = services.scheme_create(actor=street, street=mine, name=f"{today.year}年度社区工作者考核", subject="staff",
                                    period_kind="year", period_start=start, period_end=today.replace(month=12, day=31),
                                    lines=[WeightedIndicator(c, w) for c, w in STAFF_WEIGHTS.items()])
    services.scheme_publish(actor=street, scheme=scheme)
    for person in staff_of(scheme):
        services.top_down_enter(actor=street, scheme=scheme, user=person, score=str(rng.randint(72, 95)))
    services.scheme_compute(actor=street, scheme=scheme)


def _civility(ctx, users, places, today, rng):
    """Four quarters of checks on 渝阳社区's buildings by the grid workers of their sections."""
    from minqing.accounts.policy import nearest_holder
    from minqing.residents.models import Household

    community = places["communities"][0]
    buildings = [b for b in places["buildings"] if b.code.startswith(community.code)]
    last_quarter = (today.month - 1) // 3 + 1
    for quarter in range(1, last_quarter + 1):
        checked_on = min(today, datetime.date(today.year, 3 * quarter - 2, 1) + datetime.timedelta(days=70))
        for building in buildings:
            checker = nearest_holder("assessment.check", building.code) or users["worker"]
            passed = rng.random() < 0.8
            check = services.civility_check_file(
                actor=checker, building=building, year=today.year, quarter=quarter, no_mess=passed or rng.random() < 0.5,
                no_vice=True, no_theft_fire=True, no_quarrels=passed, checked_on=checked_on,
                note="" if passed else rng.choice(FAILURES))
            if not check.passed or rng.random() > 0.35:
                continue
            _nominate(check, checker, users["secretary"], rng, Household)
        if quarter < last_quarter:
            try:
                services.nominations_publish(actor=users["secretary"], community=community, year=today.year,
                                             quarter=quarter)
            except ValidationError:  # a quarter with nothing approved has nothing to publish
                pass


def _nominate(check, checker, secretary, rng, household_model):
    household = household_model.objects.filter(building=check.building, is_active=True).select_related("head").first()
    kind = rng.choice([AwardKind.BUILDING, AwardKind.FAMILY, AwardKind.RESIDENT]) if household else AwardKind.BUILDING
    nomination = services.nomination_create(
        actor=checker, check=check, kind=kind, household=household if kind == AwardKind.FAMILY else None,
        resident=household.head if kind == AwardKind.RESIDENT and household else None,
        reason={AwardKind.BUILDING: "楼道整洁，邻里和睦，全年无纠纷", AwardKind.FAMILY: "孝老爱亲，热心邻里事务",
                AwardKind.RESIDENT: "常年义务打扫楼道、参加夜间巡逻"}[kind])
    approve = rng.random() < 0.85
    services.nomination_decide(actor=secretary, nomination=nomination, approve=approve,
                               note="" if approve else "材料不全，下季度再报")
