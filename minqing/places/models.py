"""The place tree: district/company → street/mine → community → grid/section → building → unit.

Tree approach: a materialised path, and the path *is* the place code. Codes follow the Beijing
grid-code shape — 6-digit division + 3 street + 3 community + 3 grid — extended by 3 digits for a
building and 2 for a unit, so every code begins with its parent's code. A subtree is one indexed
prefix scan (`code LIKE '110105003%'`), the ancestors of a node are the prefixes of its code, and
scope checks on any table need only the code, no recursive query. Moves are rare (a grid is
redrawn) and handled by `place_move`, which re-codes the subtree in one transaction. We chose this
over nested sets (every insert rewrites half the table) and closure tables (a second table of
O(n·depth) rows) because reads vastly outnumber writes and the code is needed anyway.
"""
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class PlaceKind(models.TextChoices):
    DISTRICT = "district", _("区县/公司")
    STREET = "street", _("街道/矿")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格/地段")
    BUILDING = "building", _("楼栋")
    UNIT = "unit", _("单元")


# kind → (depth, total code length, parent kind)
KIND_SHAPE = {
    PlaceKind.DISTRICT: (0, 6, None),
    PlaceKind.STREET: (1, 9, PlaceKind.DISTRICT),
    PlaceKind.COMMUNITY: (2, 12, PlaceKind.STREET),
    PlaceKind.GRID: (3, 15, PlaceKind.COMMUNITY),
    PlaceKind.BUILDING: (4, 18, PlaceKind.GRID),
    PlaceKind.UNIT: (5, 20, PlaceKind.BUILDING),
}
KIND_BY_DEPTH = {depth: kind for kind, (depth, _length, _parent) in KIND_SHAPE.items()}


class PlaceQuerySet(models.QuerySet):
    def subtree(self, code: str):
        """The place with this code and everything under it."""
        return self.filter(code__startswith=code)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def ancestors_of(self, code: str):
        prefixes = [code[:length] for _depth, length, _p in KIND_SHAPE.values() if length < len(code)]
        return self.filter(code__in=prefixes)


class Place(BaseModel):
    kind = models.CharField(_("层级"), max_length=16, choices=PlaceKind.choices)
    code = models.CharField(
        _("编码"), max_length=20, unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3}){0,4}(\d{2})?$", _("编码必须由数字组成，按层级逐级加长。"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    # A mining community calls its grids 地段 and its street 矿: the label shown, when not the default.
    kind_label = models.CharField(_("层级称谓"), max_length=16, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("深度"), editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("地点")
        verbose_name_plural = _("地点")
        indexes = [
            # LIKE 'prefix%' uses a b-tree only with pattern ops on PostgreSQL (non-C collations).
            models.Index(fields=["code"], name="places_code_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "code"], name="places_kind_code_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.code

    @property
    def kind_display(self) -> str:
        return self.kind_label or self.get_kind_display()

    @property
    def kind_shown(self) -> str:
        """kind_display for a page: a local kind name someone typed ("地段") is data, marked as such."""
        from minqing.core.userdata import data

        return data(self.kind_label) if self.kind_label else self.get_kind_display()

    @property
    def full_name(self) -> str:
        """'A社区 / 3网格 / 12号楼' style path below the street, for addresses."""
        names = list(Place.objects.ancestors_of(self.code).filter(depth__gte=2).values_list("name", flat=True))
        return " / ".join([*names, self.name])

    def is_within(self, code: str) -> bool:
        return self.code.startswith(code)

    def ancestor_code(self, kind) -> str | None:
        _depth, length, _parent = KIND_SHAPE[kind]
        return self.code[:length] if len(self.code) >= length else None
