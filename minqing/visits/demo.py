"""A year of visits and help in the demo community.

Every active household is visited on its cycle (quarterly; monthly for elders living alone, every two
months for families in difficulty …) by its liaison cadre, with the gaps real work has: some cadres
fall behind in the last months, so the to-do lists and the coverage page have something to show.
Festival greetings at the Spring Festival and Mid-Autumn, a leaders' 民情大走访 round, needs found at
the door (a few already turned into demands through the demands app's service), and help for the
households in need. History is bulk-written like the ledger's demo; the few needs → demands go
through the real service so the demands have their receipt codes, deadlines and audit rows.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import HelpKind, HelpRecord, NeedStatus, Visit, VisitKind, VisitNeed, VisitRound

NOTES = ["家中一切正常，老人身体尚可。", "了解家庭近况，宣传社区活动。", "询问供暖情况，已正常供暖。", "提醒注意用电用气安全。",
         "子女在外务工，老人独自在家，叮嘱按时服药。", "宣传医保缴费政策。", "了解就业情况，介绍社区招聘会。"]
NEEDS = ["楼道灯坏了，晚上老人上下楼不安全", "家里暖气不热，室温只有十几度", "老人腿脚不便，希望有人帮忙代买药品",
         "希望社区帮助联系助餐服务", "卫生间漏水到楼下，需要物业维修", "孩子上学交通不便，希望了解校车",
         "低保复核材料不知道怎么准备", "门前下水道堵塞，气味很大", "想参加社区的技能培训，找份工作"]
HELP = {
    HelpKind.GOODS: [("米、面、油慰问品", 150, 300), ("冬季棉被、取暖器", 200, 400)],
    HelpKind.MONEY: [("节日慰问金", 200, 800), ("大病临时帮扶金", 500, 2000)],
    HelpKind.VISIT: [("结对党员上门看望", None, None)],
    HelpKind.REFERRAL: [("转介至街道残联办理辅具", None, None), ("转介至社区卫生服务站签约家庭医生", None, None)],
    HelpKind.SERVICE: [("志愿者上门理发、打扫卫生", None, None)],
}
CARE_TAGS = {"elder_alone", "hardship", "dibao", "serious_illness", "disability"}


def _interval(tag_codes: set[str], cycles: dict[str, int]) -> int:
    return min([90, *(cycles[code] for code in tag_codes if code in cycles)])


def build(ctx):
    rng, today = ctx.random, timezone.localdate()
    users, ledger = ctx.shared.get("users", {}), ctx.shared.get("residents", {})
    households = ledger.get("households", [])
    if not households or not users:
        return
    from minqing.residents.models import CareTag

    tags_by_household = _tags(households)
    tag_cycles = dict(CareTag.objects.exclude(visit_cycle_days=None).values_list("code", "visit_cycle_days"))
    start = today - datetime.timedelta(days=365)
    community = ctx.shared["places"]["communities"][0]
    spring = VisitRound.objects.create(name="2026年春节民情大走访", place=community, start_date=datetime.date(2026, 2, 2),
                                       end_date=datetime.date(2026, 2, 13), notes="书记、主任带队，走遍困难家庭和独居老人。")
    spring.leaders.set([u for k, u in users.items() if k in ("secretary", "street")])
    cadres = [u for k, u in users.items() if k in ("worker", "grid1", "grid3", "secretary")]
    slack = {c.pk: rng.random() < 0.5 for c in cadres}  # half the cadres fell behind lately
    visits, links, needs = [], [], []
    for household in households:
        tags = tags_by_household.get(household.pk, set())
        interval = _interval(tags, tag_cycles)
        visitor = household.liaison or rng.choice(cadres)
        day = start + datetime.timedelta(days=rng.randint(0, interval))
        while day <= today:
            if slack.get(visitor.pk) and (today - day).days < 75 and rng.random() < 0.6:
                break
            kind = _kind(rng, day, tags)
            v = Visit(household=household, place_code=household.place_code, visited_on=day, kind=kind,
                      notes=rng.choice(NOTES), met="户主本人" if rng.random() < 0.7 else "家属", recorded_by=visitor,
                      round=spring if kind != VisitKind.ROUTINE and spring.start_date <= day <= spring.end_date
                      and household.place_code.startswith(community.code) else None)
            visits.append(v)
            links.append((v, visitor))
            if rng.random() < 0.07:
                needs.append((v, rng.choice(NEEDS), NeedStatus.SOLVED if (today - day).days > 60 else NeedStatus.OPEN))
            day += datetime.timedelta(days=max(7, interval + rng.randint(-10, 12)))
    Visit.objects.bulk_create(visits, batch_size=2000)
    through = Visit.visitors.through
    through.objects.bulk_create([through(visit_id=v.pk, user_id=u.pk) for v, u in links], batch_size=5000)
    VisitNeed.objects.bulk_create([VisitNeed(visit=v, text=t, status=s) for v, t, s in needs], batch_size=2000)
    help_count = _help(rng, households, tags_by_household, users, today)
    demands = _needs_to_demands(users)
    ctx.log(f"{len(visits)} visits, {len(needs)} needs ({demands} turned into demands), {help_count} help records")


def _tags(households) -> dict[int, set[str]]:
    from minqing.residents.models import ResidentTag

    ids = [h.pk for h in households]
    out: dict[int, set[str]] = {}
    for household_id, code in (ResidentTag.objects.current().filter(resident__household_id__in=ids)
                               .values_list("resident__household_id", "tag__code")):
        out.setdefault(household_id, set()).add(code)
    return out


def _kind(rng, day, tags) -> str:
    if (day.month == 2 and day.day <= 16) or (day.month == 9 and 20 <= day.day <= 30):
        return VisitKind.FESTIVAL
    if "petition_focus" in tags:
        return VisitKind.PETITION
    if tags & CARE_TAGS and rng.random() < 0.6:
        return VisitKind.CARE
    return VisitKind.ROUTINE


def _help(rng, households, tags_by_household, users, today) -> int:
    givers = [u for k, u in users.items() if k in ("worker", "secretary")]
    records = []
    for household in households:
        tags = tags_by_household.get(household.pk, set()) & CARE_TAGS
        if not tags:
            continue
        for _ in range(rng.randint(1, 5)):
            kind = rng.choice(list(HELP))
            description, low, high = rng.choice(HELP[kind])
            amount = Decimal(rng.randrange(low, high + 1, 10)) if low else None
            records.append(HelpRecord(household=household, place_code=household.place_code, kind=kind,
                                      given_on=today - datetime.timedelta(days=rng.randint(1, 364)),
                                      description=description, amount=amount,
                                      source=rng.choice(["社区", "矿工会", "慈善会", "结对党员"]), given_by=rng.choice(givers)))
    HelpRecord.objects.bulk_create(records, batch_size=2000)
    return len(records)


def _needs_to_demands(users) -> int:
    """A handful of recent open needs become demands through the demands app, like a worker would do."""
    from . import demands, services

    actor = users.get("grid1")
    if actor is None or not demands.available():
        return 0
    turned = 0
    open_needs = VisitNeed.objects.filter(status=NeedStatus.OPEN, visit__place_code__startswith="500110001001001") \
        .select_related("visit__household__building").order_by("-visit__visited_on")[:4]
    for need in open_needs:
        services.visit_need_to_demand(actor=actor, need=need)
        turned += 1
    return turned
