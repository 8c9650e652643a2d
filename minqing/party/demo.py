"""The demo community's party organisation: 渝阳社区党委 with a branch on each of its five sections
(seed 003 "支部建在地段上"), two groups per branch, members drawn from the ledger's residents (retired
miners most of all, some in work with 双报到, a few floating members whose relation is elsewhere),
edge members who never registered, a year of 三会一课 with attendance, model posts, service records and
last year's 民主评议. Everything goes through the party services, so each row has its audit entry.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from minqing.residents.models import PoliticalStatus, Resident

from . import services
from .models import Category, EdgeOutcome, OrgKind, Presence, Relation, SessionKind, WorkStatus

TOPICS = ["学习党的二十届三中全会精神", "讨论冬季供暖和楼道安全", "开展“主题党日”清扫活动", "研究独居老人结对帮扶",
          "通报居民诉求办理情况", "学习党章第一章", "讨论发展党员工作", "组织关系排查与流动党员管理",
          "民主评议党员准备", "讨论矿区棚户区改造居民意见", "学习《中国共产党支部工作条例》", "年终总结和下年计划"]
LESSONS = ["老党员讲矿山历史", "支部书记讲党课：为民服务解难题", "廉洁教育专题党课", "新时代党员先锋作用"]
POSTS = [("楼道清洁示范岗", "每周清扫本单元楼道"), ("邻里调解示范岗", "化解楼栋邻里纠纷"),
         ("助老服务示范岗", "结对看望独居老人"), ("安全巡查示范岗", "夜间巡查用电用气安全"),
         ("政策宣传示范岗", "宣讲医保、低保政策")]
SERVICES = ["帮独居老人买菜", "楼道清扫", "夜间巡逻", "协助入户走访", "陪同老人就医", "宣传防诈骗知识", "清理小广告"]
LEAVE = ["住院治疗", "外出探亲", "单位加班", "照顾病人", "出差"]
ELSEWHERE = ["重庆市綦江区某建筑公司党支部", "四川省广安市某镇村党支部", "贵州省遵义市某煤矿党总支", "重庆市南川区某社区党委"]


def _eligible(residents, code, rng, today):
    """Adults living under the grid, oldest first (retired miners are most of a mining community's members)."""
    people = [r for r in residents if r.place_code.startswith(code) and r.birth_date
              and (today.year - r.birth_date.year) >= 25]
    rng.shuffle(people)
    return sorted(people, key=lambda r: r.birth_date)


def _joined(rng, person, today):
    start = person.birth_date.replace(year=person.birth_date.year + 20) if person.birth_date.month != 2 or \
        person.birth_date.day != 29 else datetime.date(person.birth_date.year + 20, 3, 1)
    span = max(30, (today - start).days - 400)
    return start + datetime.timedelta(days=rng.randint(0, span))


def build(ctx):
    rng, today = ctx.random, timezone.localdate()
    users = ctx.shared["users"]
    secretary = users["secretary"]
    places = ctx.shared["places"]
    community = places["communities"][0]
    grids = [g for g in places["grids"] if g.code.startswith(community.code)]
    residents = ctx.shared["residents"]["residents"]
    committee = services.org_create(actor=secretary, name=f"{community.name}党委", kind=OrgKind.COMMITTEE,
                                    place=community, founded_on=datetime.date(2003, 7, 1))
    used: set[int] = set()
    declared: list[Resident] = []
    counts = {"members": 0, "floating": 0, "edge": 0, "sessions": 0}
    branches = []
    for number, grid in enumerate(grids, start=1):
        actor = users["branch"] if number == 2 else secretary
        branch = services.org_create(actor=secretary, name=f"{grid.name}党支部", kind=OrgKind.BRANCH, place=grid,
                                     parent=committee, founded_on=datetime.date(2003, 7, 1))
        groups = [services.org_create(actor=secretary, name=f"{grid.name}第{n}党小组", kind=OrgKind.GROUP, place=grid,
                                      parent=branch) for n in ("一", "二")]
        people = [p for p in _eligible(residents, grid.code, rng, today) if p.pk not in used]
        size = rng.randint(30, 42)
        members = _members(ctx, actor, branch, groups, people[:size], today, counts, declared)
        used.update(p.pk for p in people[:size + 6])
        edge = [p for p in people[size:size + 6]]
        declared.extend(edge)
        counts["edge"] += len(edge)
        services.org_set_officers(actor=secretary, org=branch, secretary=members[0], committee=members[:3])
        for group, leader in zip(groups, members[3:5], strict=True):
            services.org_set_officers(actor=secretary, org=group, secretary=leader, committee=[])
        _org_life(ctx, actor, branch, groups, members, today, counts)
        _posts_and_service(ctx, actor, members, today)
        _appraisal(ctx, actor, branch, members, today, number)
        branches.append(branch)
    Resident.objects.filter(pk__in=[p.pk for p in declared]).update(political_status=PoliticalStatus.PARTY_MEMBER)
    for person in declared:
        if person.place_code.startswith(grids[1].code) and rng.random() < 0.5:
            services.edge_contact_record(
                actor=users["branch"], resident=person, contacted_on=today - datetime.timedelta(days=rng.randint(3, 60)),
                outcome=rng.choice([EdgeOutcome.DECLINED, EdgeOutcome.UNREACHABLE]),
                note=rng.choice(["关系在老家村里，春节回去再办", "上门两次未遇，已留联系卡", "在外务工，电话联系上"]))
    ctx.shared["party"] = {"committee": committee, "branches": branches}
    ctx.log(f"party: {len(branches)} branches, {counts['members']} members ({counts['floating']} floating), "
            f"{counts['edge']} edge members, {counts['sessions']} org-life sessions")


def _members(ctx, actor, branch, groups, people, today, counts, declared):
    rng, members = ctx.random, []
    for index, person in enumerate(people):
        age = today.year - person.birth_date.year
        floating = person.is_floating or rng.random() < 0.06
        joined = _joined(rng, person, today)
        probationary = index == len(people) - 1
        if probationary:
            joined = today - datetime.timedelta(days=rng.randint(60, 300))
        work = WorkStatus.RETIRED if age >= 58 else (WorkStatus.FLOATING if floating else
                                                      rng.choice([WorkStatus.WORKING] * 4 + [WorkStatus.NONE]))
        arrived = joined + datetime.timedelta(days=rng.randint(0, max(0, (today - joined).days - 30)))
        member = services.member_register(
            actor=actor, resident=person, org=branch, group=groups[index % 2], joined_on=joined, date=arrived,
            category=Category.PROBATIONARY if probationary else Category.FULL, work_status=work,
            relation=Relation.ELSEWHERE if floating else Relation.HERE,
            from_text=rng.choice(ELSEWHERE) if floating else "渝阳煤矿机关党委",
            full_on=None if probationary else joined + datetime.timedelta(days=365),
            employer="渝阳煤矿" if work == WorkStatus.WORKING else "")
        if work == WorkStatus.WORKING and rng.random() < 0.6:
            services.member_update(actor=actor, member=member, dual_registered_on=today - datetime.timedelta(
                days=rng.randint(30, 600)), dual_service=rng.choice(["楼道清洁", "助老服务", "政策宣传", "夜间巡逻"]))
        declared.append(person)
        members.append(member)
        counts["members"] += 1
        counts["floating"] += floating
    leaver = members[-2]
    if leaver.relation == Relation.HERE:
        arrived = leaver.transfers.values_list("date", flat=True).first()
        services.member_transfer_out(actor=actor, member=leaver, date=max(arrived, today - datetime.timedelta(days=40)),
                                     to_text="重庆市渝北区某社区党委")
        members.remove(leaver)
        counts["members"] -= 1
    return members


def _month_start(today, back: int) -> datetime.date:
    year, month = today.year, today.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def _org_life(ctx, actor, branch, groups, members, today, counts):
    """Monthly members' meetings, quarterly lessons and group meetings for the past year; this month's
    meeting planned but not yet held (the branch secretary's next task). Two members drift away."""
    rng = ctx.random
    drifting = {m.pk for m in rng.sample(members, 2)}
    for back in range(12, -1, -1):
        day = _month_start(today, back) + datetime.timedelta(days=rng.randint(8, 20))
        plans = [(branch, SessionKind.MEMBERS_MEETING, TOPICS[(12 - back) % len(TOPICS)])]
        if back % 3 == 0:
            plans.append((branch, SessionKind.LESSON, LESSONS[(back // 3) % len(LESSONS)]))
        if back % 2 == 0:
            plans += [(group, SessionKind.GROUP_MEETING, "学习讨论、交流走访情况") for group in groups]
        for org, kind, topic in plans:
            # The community secretary and the mine's leader take turns giving the quarter's lesson (五个一).
            lecturer = (ctx.shared["users"]["secretary" if back % 6 == 0 else "street"]
                        if kind == SessionKind.LESSON else None)
            session = services.session_plan(actor=actor, org=org, kind=kind, planned_on=day, topic=topic,
                                            venue="社区党群服务中心", lecturer=lecturer)
            counts["sessions"] += 1
            if day >= today or back == 0:
                continue
            expected = services.session_expected(session)
            marks = {}
            for m in expected:
                if m.pk in drifting and back <= 4:
                    marks[m.pk] = (Presence.ABSENT, "")
                else:
                    roll = rng.random()
                    marks[m.pk] = ((Presence.PRESENT, "") if roll < 0.82 else
                                   (Presence.LEAVE, rng.choice(LEAVE)) if roll < 0.94 else (Presence.ABSENT, ""))
            services.session_hold(actor=actor, session=session, held_on=day, attendance=marks)
            if back > 1 or rng.random() < 0.5:
                services.session_record_minutes(actor=actor, session=session,
                                                minutes=f"{topic}。到会党员发言讨论，形成意见，会后分头落实。")


def _posts_and_service(ctx, actor, members, today):
    rng = ctx.random
    for member, (title, duty) in zip(rng.sample(members, 3), rng.sample(POSTS, 3), strict=True):
        services.post_create(actor=actor, member=member, title=title, duty=duty,
                             start_date=today - datetime.timedelta(days=rng.randint(60, 500)))
    for member in rng.sample(members, min(12, len(members))):
        for _ in range(rng.randint(1, 4)):
            services.service_record(actor=actor, member=member, what=rng.choice(SERVICES),
                                    served_on=today - datetime.timedelta(days=rng.randint(1, 330)),
                                    hours=rng.choice(["1", "1.5", "2", "3"]))


def _appraisal(ctx, actor, branch, members, today, number):
    """Last year's appraisal by 15 residents' representatives, closed; the second section's branch has one
    member rated 不合格 by more than a third (the list the branch must act on)."""
    rng = ctx.random
    appraisal = services.appraisal_open(actor=actor, org=branch, year=today.year - 1)
    failing = members[-3].pk if number == 2 else None
    for _ballot in range(15):
        ratings = {}
        for m in members:
            if m.pk == failing:
                ratings[m.pk] = ("unqualified", "很少参加组织生活，从不参与社区活动") if rng.random() < 0.55 \
                    else ("basic", "")
            else:
                roll = rng.random()
                ratings[m.pk] = (("excellent", "热心为居民办事") if roll < 0.3 else ("qualified", "") if roll < 0.92
                                 else ("basic", "") if roll < 0.99 else ("unqualified", ""))
        services.appraisal_ballot_record(actor=actor, appraisal=appraisal, ratings=ratings)
    services.appraisal_close(actor=actor, appraisal=appraisal)
