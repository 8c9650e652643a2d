"""The demo ledger: ~3,150 households and ~8,000 residents in the buildings of 渝阳社区 and 新村社区.

Deterministic from the demo seed (`population.PopulationGenerator`). A coal mine's living area:
retired miners and their wives, elder couples whose children left, elders living alone, families,
three generations under one roof, floating renters; some residents moved out or died, with their
moves kept. Most households have a liaison among the demo cadres. Written with bulk_create: personal
data is sealed (Fernet + keyed hash + mask) exactly as the services do it.
"""
from __future__ import annotations

import datetime

from .models import CareTag, Household, Move, MoveKind, Resident, ResidentStatus, ResidentTag
from .population import PopulationGenerator
from .services import apply_identity

ROOMS = [f"{unit}单元{floor}0{number}" for unit in (1, 2, 3) for floor in range(1, 8) for number in (1, 2, 3, 4)]
OUT_DESTINATIONS = ["重庆市渝北区", "重庆市江北区", "广东省深圳市", "浙江省宁波市", "四川省成都市", "綦江城区新购住房",
                    "随子女迁往主城"]


def _liaisons(ctx) -> dict[str, object]:
    """Place code prefix → the demo cadre who looks after households there (longest prefix wins)."""
    users, places = ctx.shared.get("users", {}), ctx.shared["places"]
    grids, buildings = places["grids"], places["buildings"]
    plan = {"grid1": grids[0].code, "branch": grids[1].code, "grid3": grids[2].code, "worker": grids[3].code,
            "secretary": grids[4].code, "building1": buildings[0].code}
    chosen = {code: users[name] for name, code in plan.items() if name in users}
    if "xincun" in users:
        for grid in grids[5:]:
            chosen[grid.code] = users["xincun"]
    return chosen


def _liaison_for(code: str, liaisons: dict):
    matches = [prefix for prefix in liaisons if code.startswith(prefix)]
    return liaisons[max(matches, key=len)] if matches else None


def build(ctx):
    rng = ctx.random
    gen = PopulationGenerator(rng)
    tags = {tag.code: tag for tag in CareTag.objects.all()}
    liaisons = _liaisons(ctx)
    households, plans = [], []
    for building in ctx.shared["places"]["buildings"]:
        count = min(len(ROOMS), rng.randint(68, 82)) * max(1, ctx.scale)
        rooms = sorted(rng.sample(ROOMS, min(count, len(ROOMS))))
        rooms += [f"附{n}" for n in range(count - len(rooms))]
        for room in rooms:
            liaison = _liaison_for(building.code, liaisons) if rng.random() < 0.93 else None
            households.append(Household(building=building, place_code=building.code, room=room, liaison=liaison))
            plans.append(gen.household())
    Household.objects.bulk_create(households, batch_size=1000)

    residents, moves, resident_tags, heads = [], [], [], []
    for household, plan in zip(households, plans, strict=True):
        whole_household_left = ((plan.kind == "floating" and rng.random() < 0.2)
                                or (plan.kind == "elder_alone" and rng.random() < 0.04))
        for person in plan.members:
            resident = Resident(household=household, place_code=household.place_code, is_floating=person.is_floating,
                                registered_place=person.registered_place, occupation=person.occupation)
            apply_identity(resident, {"name": person.name, "relation": person.relation, "sex": person.sex,
                                      "birth_date": person.birth_date, "id_number": person.id_number,
                                      "phone": person.phone})
            arrived = max(plan.moved_in, person.birth_date)
            born_here = person.birth_date > plan.moved_in
            moves.append(Move(resident=resident, kind=MoveKind.IN, date=arrived, to_household=household,
                              from_text="" if born_here else (person.registered_place or "矿区老住宅区"),
                              to_text=f"{household.building.name}{household.room}",
                              reason="出生" if born_here else ("租住务工" if person.is_floating else "矿上分房"),
                              place_code=household.place_code))
            left_on = _fate(rng, gen, plan, person, whole_household_left, resident, arrived)
            if left_on and resident.status == ResidentStatus.MOVED_OUT:
                moves.append(Move(resident=resident, kind=MoveKind.OUT, date=left_on, from_household=household,
                                  from_text=moves[-1].to_text, to_text=rng.choice(OUT_DESTINATIONS),
                                  reason=_out_reason(rng, plan, person), place_code=household.place_code))
            for code, start in person.tags:
                start = max(start, person.birth_date)
                end = left_on if left_on and left_on >= start else None
                if left_on and end is None:
                    continue
                resident_tags.append(ResidentTag(resident=resident, tag=tags[code], start_date=start, end_date=end,
                                                 place_code=household.place_code))
            residents.append(resident)
            if person.relation == "head" and resident.status == ResidentStatus.LIVING:
                household.head = resident
        staying = [r for r in residents[-len(plan.members):] if r.status == ResidentStatus.LIVING]
        if household.head is None and staying:  # the head died or left: the next member takes over
            household.head = staying[0]
            staying[0].relation = "head"
        if not staying:
            household.is_active = False
        heads.append(household)
    Resident.objects.bulk_create(residents, batch_size=1000)
    for move in moves:
        move.resident_id = move.resident.pk
    for resident_tag in resident_tags:
        resident_tag.resident_id = resident_tag.resident.pk
    Move.objects.bulk_create(moves, batch_size=2000)
    ResidentTag.objects.bulk_create(resident_tags, batch_size=2000)
    for household in heads:
        household.head_id = household.head.pk if household.head else None
    Household.objects.bulk_update(heads, ["head", "is_active"], batch_size=1000)
    living = [r for r in residents if r.status == ResidentStatus.LIVING]
    ctx.shared["residents"] = {"households": [h for h in households if h.is_active], "residents": living,
                               "care_tags": tags}
    ctx.log(f"{len(households)} households, {len(residents)} residents ({len(living)} living), "
            f"{len(resident_tags)} care tags")


def _fate(rng, gen, plan, person, whole_household_left, resident, arrived) -> datetime.date | None:
    """Some residents left or died; the date they did, or None. Sets the resident's status."""
    age = gen.today.year - person.birth_date.year
    if whole_household_left or (person.relation in ("son", "daughter") and age >= 18 and rng.random() < 0.3):
        resident.status, resident.household = ResidentStatus.MOVED_OUT, None
    elif age >= 80 and rng.random() < 0.06:
        resident.status, resident.household = ResidentStatus.DECEASED, None
    else:
        return None
    span = max(1, (gen.today - arrived).days)
    return arrived + datetime.timedelta(days=rng.randint(min(span, 30), span))


def _out_reason(rng, plan, person) -> str:
    if person.is_floating:
        return "务工结束离开"
    if plan.kind == "elder_alone":
        return "随子女生活"
    return rng.choice(["外出工作", "购房搬迁", "上学", "婚迁"])
