"""The demo place tree, modelled on the seeds' coal-mining living areas (names are invented).

松川煤电公司 (company) → 渝阳煤矿 (mine, as a street) → 渝阳社区 with five sections 地段 and a
smaller 新村社区 with two grids, so every scope rule has a neighbour to be kept out of.
"""
from .models import KIND_SHAPE, Place, PlaceKind

COMPANY = ("500110", "松川煤电公司")
MINE = ("500110001", "渝阳煤矿")
COMMUNITIES = [
    # code, name, [(grid name, buildings)]
    ("500110001001", "渝阳社区", [("第一地段", 8), ("第二地段", 8), ("第三地段", 7), ("第四地段", 6), ("第五地段", 6)]),
    ("500110001002", "新村社区", [("第一网格", 4), ("第二网格", 3)]),
]


def _place(kind, code, name, parent, **extra):
    return Place(kind=kind, code=code, name=name, parent=parent, depth=KIND_SHAPE[kind][0], **extra)


def build(ctx):
    # Bulk creation for speed; each node still gets a proper code, parent and depth.
    company = _place(PlaceKind.DISTRICT, *COMPANY, None, kind_label="公司")
    company.save()
    mine = _place(PlaceKind.STREET, *MINE, company, kind_label="矿")
    mine.save()
    places = {"company": company, "mine": mine, "communities": [], "grids": [], "buildings": []}
    for community_code, community_name, grids in COMMUNITIES:
        community = _place(PlaceKind.COMMUNITY, community_code, community_name, mine)
        community.save()
        places["communities"].append(community)
        is_mining = community_name == "渝阳社区"
        building_no = 0
        for grid_index, (grid_name, building_count) in enumerate(grids, start=1):
            grid = _place(PlaceKind.GRID, f"{community_code}{grid_index:03d}", grid_name, community,
                          kind_label="地段" if is_mining else "")
            grid.save()
            places["grids"].append(grid)
            buildings = []
            for _ in range(building_count):
                building_no += 1
                buildings.append(_place(
                    PlaceKind.BUILDING, f"{grid.code}{building_no:03d}", f"{building_no}栋", grid,
                    address=f"{mine.name}{community_name}{building_no}栋",
                ))
            places["buildings"].extend(Place.objects.bulk_create(buildings))
    ctx.shared["places"] = places
    ctx.log(f"{Place.objects.count()} places")
