"""The newer apps' data at city scale (issue 19 item 4): party, meetings, volunteers, training and
assessment, built by each app's own demo builder — through its services, so every row has its audit
entry and its state came through the app's transition table — for the first communities of the first
streets of a generated city (bench/generate.py builds places, staff, residents and demands by COPY;
these apps' rows are few per community and are what the services would write).

Each builder reads a small demo context (bench's users and places in the demo's names: "secretary",
"worker", "street", …); this module maps a city community onto it. A 支部书记 is added per community
(the city's staff list has none). Communities are built one after another; a builder that needs two
communities (training, assessment) gets the community and its street neighbour.
"""
from __future__ import annotations

import time

from minqing.demo.builders import DemoContext

APP_BUILDERS = ["minqing.party.demo", "minqing.meetings.demo", "minqing.volunteers.demo",
                "minqing.training.demo"]
STREET_BUILDERS = ["minqing.assessment.demo"]  # once per street: a street's scheme over its communities


def community_context(street, community, neighbour, *, seed: int, log) -> DemoContext | None:
    from minqing.accounts.models import Role, User
    from minqing.places.models import Place
    from minqing.residents.models import Resident

    by_name = {u.username: u for u in User.objects.filter(username__in=[
        f"street{street.code[-3:]}", f"secretary{community.code[-6:]}", f"secretary{neighbour.code[-6:]}",
        f"worker{community.code[-6:]}1", f"worker{community.code[-6:]}2"])}
    secretary = by_name.get(f"secretary{community.code[-6:]}")
    if secretary is None:
        return None
    grids = list(Place.objects.filter(kind="grid", code__startswith=community.code).order_by("code"))
    buildings = list(Place.objects.filter(kind="building", code__startswith=community.code).order_by("code"))
    admin = User.objects.get(username="admin")
    branch = _person(admin, f"branch{community.code[-6:]}", f"{grids[1].name}支部书记", Role.BRANCH_SECRETARY, grids[1])
    building_head = _person(admin, f"building{buildings[0].code[-12:]}", f"{buildings[0].name}楼栋长",
                            Role.BUILDING_HEAD, buildings[0])
    grid_workers = {g.code: u for u in User.objects.filter(username__in=[f"grid{g.code[-9:]}" for g in grids])
                    for g in grids if u.username == f"grid{g.code[-9:]}"}
    # every grid gets its own residents (the first 3,000 of a community by id can all live under its first
    # grids, and the party builder makes a branch on each grid out of that grid's adults)
    residents = [r for g in grids for r in Resident.objects.filter(place_code__startswith=g.code).order_by("id")[:400]]
    users = {"secretary": secretary, "worker": by_name.get(f"worker{community.code[-6:]}1") or secretary,
             "street": by_name[f"street{street.code[-3:]}"], "branch": branch,
             "xincun": by_name.get(f"secretary{neighbour.code[-6:]}") or secretary, "building1": building_head,
             "grid1": grid_workers.get(grids[0].code, secretary), "grid3": grid_workers.get(grids[2].code, secretary)}
    ctx = DemoContext(seed=seed, log=log)
    ctx.shared.update(users=users, residents={"residents": residents},
                      places={"mine": street, "communities": [community, neighbour], "grids": grids,
                              "buildings": buildings}, partner_units={})
    return ctx


def _person(admin, username: str, display: str, role: str, place):
    """A staff member the city's generator does not make (a branch secretary, a building head)."""
    from minqing.accounts.models import User
    from minqing.accounts.services import role_assign

    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        role_assign(actor=admin, user=user, role=role, place=place)
    return user


def build_apps(*, streets: int = 2, communities_per_street: int = 7, seed: int = 20261123, log=print) -> dict:
    """Runs the apps' builders for the first communities of the first streets; returns timings."""
    import importlib

    from minqing.places.models import Place

    seconds: dict[str, float] = {}
    built = []
    for street in Place.objects.filter(kind="street").order_by("code")[:streets]:
        mine = list(Place.objects.filter(kind="community", code__startswith=street.code).order_by("code"))
        for index, community in enumerate(mine[:communities_per_street]):
            ctx = community_context(street, community, mine[(index + 1) % len(mine)], seed=seed + index, log=log)
            if ctx is None:
                continue
            for name in APP_BUILDERS + (STREET_BUILDERS if index == 0 else []):
                t0 = time.perf_counter()
                users = ctx.shared["users"]
                if name == "minqing.meetings.demo" and index > 0:
                    # the street's leader keeps one reception day a month, at the street's first community
                    ctx.shared["users"] = {k: v for k, v in users.items() if k != "street"}
                importlib.import_module(name).build(ctx)
                ctx.shared["users"] = users
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0
            built.append(community.code)
            log(f"  apps built for {community.code} ({len(built)})")
    return {"communities": built, "seconds": {k.split(".")[1]: round(v, 1) for k, v in seconds.items()}}
