"""Categories 诉求分类: the two-level taxonomy demands are filed under (readable by any caller)."""
from ninja import Router, Schema

from minqing.appeals.taxonomy import Category

from ..schemas import READ_ERRORS, ErrorOut

router = Router(tags=["categories 分类"])


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    children: list["CategoryOut"] = []


@router.get("/categories", response={200: list[CategoryOut], READ_ERRORS: ErrorOut}, summary="诉求分类（两级）")
def category_list(request):
    """Active first-level categories, each with its active second-level children."""
    rows = list(Category.objects.filter(is_active=True).order_by("sort", "id"))
    tops = [{"id": c.id, "name": c.name, "parent_id": None, "children": []} for c in rows if c.parent_id is None]
    by_id = {top["id"]: top for top in tops}
    for c in rows:
        if c.parent_id in by_id:
            by_id[c.parent_id]["children"].append({"id": c.id, "name": c.name, "parent_id": c.parent_id})
    return tops
