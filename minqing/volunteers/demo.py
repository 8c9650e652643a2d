"""A year of volunteer work in the demo community, through the services (seed 003: the cleaning team,
the night patrol that calls out "注意安全", the 红白喜事 service team; the associations the residents
asked for — table tennis, gateball, cycling, fishing, arts — each with its charter).

Volunteers are ledger residents with a phone (their sign-ups link back to the ledger) and a few
neighbours who are not in it. Weekly cleaning, patrols twice a week, association meets, and a few
activities still open for sign-up next week, so the public page has something to offer.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from minqing.core.crypto import decrypt
from minqing.core.errors import Conflict

from . import services
from .models import TeamCategory, TeamKind

CHARTER = ("第一条 本{kind}由本社区居民自愿组成，在社区党组织指导下开展活动。\n"
           "第二条 宗旨：{aim}。\n第三条 凡本社区居民，热心公益、身体健康，均可申请加入。\n"
           "第四条 活动实行报名登记和考勤制度，服务时长按小时计入个人志愿服务记录，每小时积 10 分。\n"
           "第五条 保障：社区提供活动场地、工具和意外保险；奖励：年度服务时长前列者列入光荣榜，年终表彰。")
TEAMS = [
    ("清洁卫生保洁队", TeamKind.TEAM, TeamCategory.CLEANING, "清扫楼道院坝，保持环境整洁", "周六上午楼道院坝大扫除", "各栋楼下", 7, 3, 8),
    ("夜间安全喊话和治安巡逻队", TeamKind.TEAM, TeamCategory.PATROL, "夜间巡逻喊话，防火防盗", "夜间安全巡逻", "社区值班室集合", 3, 2, 4),
    ("红白喜事服务队", TeamKind.TEAM, TeamCategory.CEREMONY, "为居民红白喜事义务帮忙，移风易俗、勤俭办事", "红白喜事帮忙", "居民家中", 30, 4, 6),
    ("乒乓球协会", TeamKind.ASSOCIATION, TeamCategory.SPORT, "强身健体，丰富业余生活", "乒乓球友谊赛", "职工活动中心", 14, 2, 10),
    ("门球协会", TeamKind.ASSOCIATION, TeamCategory.SPORT, "老年人健身交流", "门球训练", "门球场", 14, 2, 8),
    ("自行车协会", TeamKind.ASSOCIATION, TeamCategory.SPORT, "绿色出行，骑行健身", "周末骑行", "矿区大门", 30, 4, 12),
    ("钓鱼协会", TeamKind.ASSOCIATION, TeamCategory.SPORT, "以钓会友，爱护水域环境", "水库垂钓与捡拾垃圾", "矿区水库", 30, 5, 10),
    ("文艺宣传协会", TeamKind.ASSOCIATION, TeamCategory.ARTS, "文艺演出，宣传政策法规", "文艺排练与法制宣传演出", "社区广场", 14, 3, 12),
]


def build(ctx):
    users, ledger = ctx.shared.get("users", {}), ctx.shared.get("residents", {})
    if not users or not ledger.get("residents"):
        return
    rng, now = ctx.random, timezone.now()
    community = ctx.shared["places"]["communities"][0]
    worker = users["worker"]
    local = [r for r in ledger["residents"] if r.place_code.startswith(community.code) and r.phone_cipher
             and r.birth_date and 18 <= (now.date() - r.birth_date).days // 365 <= 75]
    pool = rng.sample(local, min(120, len(local)))
    people = [(r.name, phone) for r in pool if services.PHONE_RE.match(phone := decrypt(r.phone_cipher))]
    people += [(f"{rng.choice('王李张刘陈杨赵黄周吴')}师傅", f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}")
               for _ in range(15)]  # neighbours not (yet) in the ledger
    teams, activities, signups = [], 0, 0
    start = now - datetime.timedelta(days=365)
    for name, kind, category, aim, title, location, every, hours, places in TEAMS:
        members = rng.sample(pool, min(len(pool), rng.randint(6, 15)))
        team = services.team_create(actor=worker, community=community, name=name, kind=kind, category=category,
                                    charter=CHARTER.format(kind=kind.label, aim=aim), leader=members[0],
                                    founded_on=start.date() - datetime.timedelta(days=rng.randint(30, 900)))
        for resident in members[1:]:
            services.member_add(actor=worker, team_id=team.pk, resident=resident,
                                joined_on=team.founded_on + datetime.timedelta(days=rng.randint(0, 200)))
        regulars = rng.sample(people, min(len(people), places * 3))
        day = start + datetime.timedelta(days=rng.randint(0, every))
        while day < now + datetime.timedelta(days=10):
            when = day.replace(hour=20 if category == TeamCategory.PATROL else 9, minute=0, second=0, microsecond=0)
            activity = services.activity_post(actor=worker, team=team, title=title, location=location,
                                              starts_at=when, ends_at=when + datetime.timedelta(hours=hours),
                                              places_needed=places, description=aim + "。")
            activities += 1
            upcoming = when > now
            wanted = rng.randint(1, places if upcoming else places + 2)
            taken = []
            for person_name, phone in rng.sample(regulars, min(wanted, len(regulars))):
                try:
                    signup, _token = services.signup_create(activity_id=activity.pk, name=person_name, phone=phone,
                                                            now=min(now, when - datetime.timedelta(days=1)))
                except Conflict:  # full: the extra neighbours are turned away, as on the page
                    continue
                taken.append(signup)
            signups += len(taken)
            if not upcoming:
                attended = {s.pk: Decimal(hours) - (Decimal("0.5") if rng.random() < .2 else 0)
                            for s in taken if rng.random() < .88}
                services.activity_record_attendance(actor=worker, activity_id=activity.pk, attended=attended,
                                                    now=when + datetime.timedelta(hours=hours))
            day += datetime.timedelta(days=every + rng.choice((-1, 0, 0, 1)) if every > 3 else rng.choice((3, 4)))
        teams.append(team)
    ctx.shared["volunteers"] = {"teams": teams}
    ctx.log(f"{len(teams)} volunteer teams and associations, {activities} activities, {signups} sign-ups; "
            f"public sign-up page: /volunteers/join/, honour roll: /volunteers/honour/{community.code}/{now.year}/")
