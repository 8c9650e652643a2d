import factory

from minqing.places.models import KIND_SHAPE, Place, PlaceKind


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    kind = PlaceKind.DISTRICT
    code = factory.Sequence(lambda n: f"{110100 + n:06d}")
    name = factory.Sequence(lambda n: f"地点{n}")
    parent = None
    depth = factory.LazyAttribute(lambda o: KIND_SHAPE[o.kind][0])


def child_of(parent: Place, kind, number: int, name: str) -> Place:
    width = KIND_SHAPE[kind][1] - len(parent.code)
    return PlaceFactory(kind=kind, code=f"{parent.code}{number:0{width}d}", name=name, parent=parent)


def two_community_tree() -> dict:
    """district → street → communities A and B, each with grids 1 and 2, each grid with one building.

    The smallest tree in which every scope rule has a neighbour to keep out.
    """
    district = PlaceFactory(kind=PlaceKind.DISTRICT, code="110105", name="朝阳区")
    street = child_of(district, PlaceKind.STREET, 3, "八里庄街道")
    tree = {"district": district, "street": street}
    for letter, number in (("a", 1), ("b", 2)):
        community = child_of(street, PlaceKind.COMMUNITY, number, f"{letter.upper()}社区")
        tree[f"community_{letter}"] = community
        for grid_no in (1, 2):
            grid = child_of(community, PlaceKind.GRID, grid_no, f"{letter.upper()}社区{grid_no}网格")
            tree[f"grid_{letter}{grid_no}"] = grid
            tree[f"building_{letter}{grid_no}"] = child_of(grid, PlaceKind.BUILDING, grid_no, f"{grid_no}号楼")
    return tree
