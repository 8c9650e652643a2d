"""The hand-built data set of the metric tests (docs/metrics.md works through the same numbers) and a
randomised generator for the rollup-vs-recount tests."""
from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.appeals.models import Appeal, Channel, Outcome, Satisfaction, Status
from minqing.appeals.taxonomy import Category
from minqing.appeals.tests.factories import AppealFactory

BEIJING = ZoneInfo("Asia/Shanghai")
H = datetime.timedelta(hours=1)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def category(top: str, name: str) -> Category:
    return Category.objects.get(parent__name=top, name=name)


def demand(place, submitted: datetime.datetime, *, response: float | None = None, deadline: float | None = 24,
           closed: float | None = None, **fields) -> Appeal:
    """A demand submitted at `submitted`; response/closed are hours after submission; the response
    deadline is 24 h after submission unless given (None: no deadline)."""
    values = {"status": Status.SUBMITTED, "channel": Channel.PHONE, **fields}
    values["submitted_at"] = submitted
    values["response_deadline"] = submitted + deadline * H if deadline is not None else None
    if response is not None:
        values["first_response_at"] = submitted + response * H
    if closed is not None:
        values["closed_at"] = submitted + closed * H
    return AppealFactory(place=place, **values)


def replied(outcome: str = Outcome.SOLVED, **extra) -> dict:
    return {"outcome": outcome, "reply_text": "已处理", "replied_at": at(10, 20), **extra}


def october(tree, actors) -> dict:
    """16 demands in October 2026 under 八里庄街道 (15 counted, one merged), one in September, one in
    November. The comments give what each one adds; the expected figures are in test_metrics.py."""
    heat = PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"])
    prop = PartnerUnitFactory(name="安居物业公司", service_area=tree["community_b"])
    heat_user = user_with_role(Role.PARTNER_UNIT, tree["street"], partner_unit=heat, username="t_heat")
    worker = actors["worker"]
    heating, lift, noise = category("水电暖气", "供暖"), category("物业", "电梯"), category("环境卫生", "噪声")
    a, b = tree["grid_a1"], tree["community_b"]
    d = {}
    d["d17"] = demand(a, at(9, 30, 23, 59), category=heating, response=1, closed=30, status=Status.CLOSED,
                      dispatched_at=at(10, 1), handler_unit=heat, satisfaction=Satisfaction.SATISFIED, **replied())
    # D1 heating/phone/heat: responded 1.5 h, solved, satisfied, closed after 30 h
    d["d1"] = demand(a, at(10, 1), category=heating, response=1.5, closed=30, status=Status.CLOSED,
                     dispatched_at=at(10, 1, 12), handler_unit=heat, satisfaction=Satisfaction.SATISFIED, **replied())
    # D2 heating/phone/heat: 3 h, overdue, solved, basically satisfied, closed after 100 h
    d["d2"] = demand(a, at(10, 2), category=heating, response=3, closed=100, status=Status.CLOSED, is_overdue=True,
                     dispatched_at=at(10, 2, 12), handler_unit=heat, satisfaction=Satisfaction.BASIC, **replied())
    # D3 heating/web/heat: 30 h (late), returned once, partly solved, dissatisfied → reopened, dispatched again
    d["d3"] = demand(a, at(10, 3), category=heating, channel=Channel.WEB, response=30, status=Status.DISPATCHED,
                     dispatched_at=at(10, 5), handler_unit=heat, return_count=1, reopen_count=1,
                     satisfaction=Satisfaction.DISSATISFIED, **replied(Outcome.PARTLY))
    # D4 lift/walk-in/worker: 0.5 h, solved, followed up satisfied (not closed yet)
    d["d4"] = demand(a, at(10, 4), category=lift, channel=Channel.WALK_IN, response=0.5, status=Status.FOLLOWED_UP,
                     dispatched_at=at(10, 4, 12), handler_user=worker, satisfaction=Satisfaction.SATISFIED,
                     **replied())
    # D5 lift/walk-in/worker: 5 h, unreasonable (explained), nobody rated: closed "not rated" after 200 h
    d["d5"] = demand(a, at(10, 5), category=lift, channel=Channel.WALK_IN, response=5, closed=200,
                     status=Status.CLOSED, dispatched_at=at(10, 5, 12), handler_user=worker,
                     satisfaction=Satisfaction.NOT_RATED, **replied(Outcome.UNREASONABLE))
    # D6 noise/phone/worker: 2 h, in progress, overdue
    d["d6"] = demand(a, at(10, 6), category=noise, response=2, status=Status.IN_PROGRESS, is_overdue=True,
                     dispatched_at=at(10, 6, 12), handler_user=worker)
    # D7 noise/web: rejected after 1 h (a response; closed_at is set but it is not 办结)
    d["d7"] = demand(a, at(10, 7), category=noise, channel=Channel.WEB, response=1, closed=1, status=Status.REJECTED,
                     reject_reason="不属于社区职责")
    # D8 noise/web: never answered
    d["d8"] = demand(a, at(10, 8), category=noise, channel=Channel.WEB)
    # D9 heating/phone: a duplicate merged into D1 — counted nowhere but in "merged"
    d["d9"] = demand(a, at(10, 9), category=heating, response=1, status=Status.MERGED, merged_into=d["d1"])
    # D10 heating/phone/heat: a recurrence of D17; 1 h, solved, satisfied, closed after 50 h
    d["d10"] = demand(a, at(10, 10), category=heating, response=1, closed=50, status=Status.CLOSED,
                      recurrence_of=d["d17"], dispatched_at=at(10, 10, 12), handler_unit=heat,
                      satisfaction=Satisfaction.SATISFIED, **replied())
    # D11 (community B) heating/phone/heat: 1 h, solved, basically satisfied, closed after 20 h
    d["d11"] = demand(b, at(10, 11), category=heating, response=1, closed=20, status=Status.CLOSED,
                      dispatched_at=at(10, 11, 12), handler_unit=heat, satisfaction=Satisfaction.BASIC, **replied())
    # D12 (B) lift/web: accepted after 10 h, not dispatched yet
    d["d12"] = demand(b, at(10, 12), category=lift, channel=Channel.WEB, response=10, status=Status.ACCEPTED)
    # D13 (B) no category/walk-in/worker: 25 h (late), returned twice, in progress
    d["d13"] = demand(b, at(10, 13), category=None, channel=Channel.WALK_IN, response=25, status=Status.IN_PROGRESS,
                      dispatched_at=at(10, 14), handler_user=worker, return_count=2)
    # D14 (B, at a building) heating/phone/heat: 0.2 h, reopened once, re-replied solved, satisfied, closed 26 h
    d["d14"] = demand(tree["building_b1"], at(10, 14), category=heating, response=0.2, closed=26,
                      status=Status.CLOSED, dispatched_at=at(10, 14, 12), handler_unit=heat, reopen_count=1,
                      satisfaction=Satisfaction.SATISFIED, **replied())
    # D15 (A, grid 2) lift/phone/worker: no response deadline, 40 h, pending (plan), basically satisfied
    d["d15"] = demand(tree["grid_a2"], at(10, 15), category=lift, response=40, deadline=None,
                      status=Status.FOLLOWED_UP, dispatched_at=at(10, 17), handler_user=worker,
                      satisfaction=Satisfaction.BASIC, **replied(Outcome.PENDING, plan="明年改造",
                                                                   plan_date=datetime.date(2027, 5, 1)))
    # D16 (B) lift/web/property company, submitted 23:30 on 31 October (still October in Beijing):
    # 1 h, solved, dissatisfied → reopened (waiting for a new dispatch)
    d["d16"] = demand(b, at(10, 31, 23, 30), category=lift, channel=Channel.WEB, response=1, status=Status.REOPENED,
                      dispatched_at=at(10, 31, 23, 50), handler_unit=prop, reopen_count=1,
                      satisfaction=Satisfaction.DISSATISFIED, **replied(replied_at=at(11, 1, 8)))
    # D18 00:10 on 1 November in Beijing (still 31 October in UTC): November's
    d["d18"] = demand(a, at(11, 1, 0, 10), category=heating)
    return {"demands": d, "heat": heat, "prop": prop, "heat_user": heat_user, "worker": worker}


def random_demands(tree, *, n: int, seed: int, units, users) -> list[Appeal]:
    """Demands in every state with random timestamps over three months, for the rollup-vs-recount tests."""
    rng = random.Random(seed)
    places = [tree[k] for k in ("community_a", "grid_a1", "grid_a2", "building_b1", "community_b", "street")]
    categories = [*Category.objects.filter(parent__isnull=False)[:12], None]
    made = []
    for _i in range(n):
        submitted = at(9, 1, 0) + datetime.timedelta(minutes=rng.randrange(0, 92 * 24 * 60))
        status = rng.choice([s for s in Status.values if s != Status.MERGED] + [Status.MERGED] * (1 if made else 0))
        fields = {"status": status, "channel": rng.choice(Channel.values), "category": rng.choice(categories),
                  "is_overdue": rng.random() < .2, "return_count": rng.choice([0, 0, 0, 1, 2]),
                  "reopen_count": rng.choice([0, 0, 0, 1]),
                  "outcome": rng.choice(["", *Outcome.values]), "satisfaction": rng.choice(["", *Satisfaction.values])}
        if status == Status.MERGED:
            fields["merged_into"] = rng.choice(made)
        if rng.random() < .5:
            fields["handler_unit"] = rng.choice(units)
        else:
            fields["handler_user"] = rng.choice(users)
        if rng.random() < .7:
            fields["dispatched_at"] = submitted + rng.random() * 48 * H
        if rng.random() < .6:
            fields["replied_at"] = submitted + rng.random() * 300 * H
        if made and rng.random() < .1:
            fields["recurrence_of"] = rng.choice(made)
        response = rng.choice([None, rng.random() * 3, rng.random() * 60, rng.random() * 900])
        closed = rng.choice([None, rng.random() * 100, rng.random() * 1000]) if status in (
            Status.CLOSED, Status.REJECTED) else None
        made.append(demand(rng.choice(places), submitted, response=response, closed=closed,
                           deadline=rng.choice([24, 48, None]), **fields))
    return made
