"""Places: the tree, within the caller's scope (places.selectors)."""
from decimal import Decimal

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from minqing.places import selectors
from minqing.places.models import PlaceKind

from ..pagination import Cursor
from ..schemas import READ_ERRORS, ErrorOut

router = Router(tags=["places 地点"])
CODE = r"^\d{1,20}$"


class PlaceOut(Schema):
    code: str
    name: str
    kind: PlaceKind
    kind_label: str
    parent_code: str | None
    depth: int
    address: str
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.kind_display)

    @staticmethod
    def resolve_parent_code(obj):
        return obj.code[: len(obj.code) - (2 if obj.kind == PlaceKind.UNIT else 3)] if obj.depth else None


@router.get("/places", response={200: list[PlaceOut], READ_ERRORS: ErrorOut}, summary="地点列表")
@paginate(Cursor, ordering=("code",))
def place_list(request, kind: PlaceKind | None = None, within: str | None = Query(None, pattern=CODE)):
    """Places the caller may see, optionally one kind, optionally under a code (`within`)."""
    return selectors.place_list(actor=request.auth, kind=kind, within=within)


@router.get("/places/{code}", response={200: PlaceOut, READ_ERRORS: ErrorOut}, summary="地点详情")
def place_get(request, code: str = Path(..., pattern=CODE)):
    return selectors.place_get(actor=request.auth, code=code)


@router.get("/places/{code}/children", response={200: list[PlaceOut], READ_ERRORS: ErrorOut}, summary="下级地点")
@paginate(Cursor, ordering=("code",))
def place_children(request, code: str = Path(..., pattern=CODE)):
    return selectors.place_children(actor=request.auth, place=selectors.place_get(actor=request.auth, code=code))
