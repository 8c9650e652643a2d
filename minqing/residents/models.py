"""The resident ledger 民情台账: households in buildings, residents, their moves and care tags.

Scope: every row carries `place_code`, the code of the building it lies in (a copy of the building's
code kept by the services), so a scope filter is one indexed prefix scan and needs no join. A resident
who moved out keeps the code of the last building they lived in: they stay findable, with history, by
the people who looked after them.

Personal data: ID numbers and phones are stored three ways and never in plain text — Fernet
ciphertext (`*_cipher`, decrypted only by the audited reveal), a keyed HMAC (`*_hash`, exact search
and duplicate detection) and the masked form (`*_masked`, what pages and exports show).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Household(BaseModel):
    """A household 户 living at one address (room) in one building."""

    building = models.ForeignKey(
        "places.Place", verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="households",
    )
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    room = models.CharField(_("门牌/房号"), max_length=30, help_text=_("如：2单元301"))
    head = models.ForeignKey(
        "Resident", verbose_name=_("户主"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("包户联系人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="liaison_households",
    )
    notes = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("在册"), default=True, help_text=_("整户迁出后不再在册，但历史保留。"))

    class Meta:
        ordering = ["place_code", "room", "id"]
        verbose_name = _("户")
        verbose_name_plural = _("户")
        indexes = [
            models.Index(fields=["place_code"], name="residents_hh_place_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["building", "room"], name="residents_hh_room_idx"),
        ]

    def __str__(self):
        return f"{self.building.name if self.building_id else ''}{self.room}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("子")
    DAUGHTER = "daughter", _("女")
    PARENT = "parent", _("父母")
    SON_IN_LAW = "son_in_law", _("女婿")
    DAUGHTER_IN_LAW = "daughter_in_law", _("儿媳")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    RELATIVE = "relative", _("其他亲属")
    OTHER = "other", _("非亲属/租住")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("在住")
    MOVED_OUT = "moved_out", _("已迁出")
    DECEASED = "deceased", _("已故")


class PoliticalStatus(models.TextChoices):
    """What the resident says of themselves (政治面貌); the party app checks it against its roster."""

    MASSES = "", _("群众")
    PARTY_MEMBER = "party", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")


class ResidentQuerySet(models.QuerySet):
    def living(self):
        return self.filter(status=ResidentStatus.LIVING)

    def within(self, code: str):
        return self.filter(place_code__startswith=code)


class Resident(BaseModel):
    household = models.ForeignKey(
        Household, verbose_name=_("所在户"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members", help_text=_("迁出或去世后为空；迁移记录保留原户。"),
    )
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False,
                                  help_text=_("所在（或最后所在）楼栋的编码。"))
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, blank=True, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices, default=Relation.HEAD)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number_cipher = models.TextField(_("身份证号（密文）"), blank=True, editable=False)
    id_number_hash = models.CharField(_("身份证号（查找散列）"), max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=24, blank=True, editable=False)
    phone_cipher = models.TextField(_("电话（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(_("电话（查找散列）"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=24, blank=True, editable=False)
    is_floating = models.BooleanField(_("流动人口"), default=False, help_text=_("户籍在外地、在本社区居住。"))
    registered_place = models.CharField(_("户籍地"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ResidentStatus.choices,
                              default=ResidentStatus.LIVING)
    occupation = models.CharField(_("工作单位/职业"), max_length=100, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True,
                                        default=PoliticalStatus.MASSES)
    notes = models.TextField(_("备注"), blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["place_code", "household_id", "id"]
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        indexes = [
            models.Index(fields=["place_code"], name="residents_res_place_idx", opclasses=["varchar_pattern_ops"]),
            # The home panel counts a scope's living residents and the floating among them on every view:
            # from these indexes alone (PostgreSQL's index-only scan) instead of ~18,000 heap rows a community.
            # The floating have their own: filtering the ~18,000 entries of the first by is_floating cost 4.1 ms
            # of every community home page's database time, reading the ~1,300 of the second 0.4 ms (1,000,000
            # residents, docs/performance.md "tenth pass").
            models.Index(fields=["place_code"], name="residents_res_living_idx", opclasses=["varchar_pattern_ops"],
                         include=["is_floating"], condition=Q(status="living")),
            models.Index(fields=["place_code"], name="residents_res_floating_idx", opclasses=["varchar_pattern_ops"],
                         condition=Q(status="living", is_floating=True)),
            # The party panel counts a scope's living residents who say they are party members and are not on
            # the roster (party.selectors.edge_list): ~5 % of a community's ~18,000, found here, not by
            # reading all of them (6.7 ms of the home page's database time whenever the panel's figures
            # are computed, at 1,000,000 residents)
            models.Index(fields=["place_code"], name="residents_res_party_idx", opclasses=["varchar_pattern_ops"],
                         condition=Q(status="living", political_status__in=["party", "probationary"])),
            models.Index(fields=["name"], name="residents_res_name_idx"),
            models.Index(fields=["name_initials"], name="residents_res_initials_pfx",
                         opclasses=["varchar_pattern_ops"]),  # startswith search on PostgreSQL
            models.Index(fields=["phone_hash"], name="residents_res_phone_idx"),
            # The unique constraint below is partial; SQLite cannot use it for `= %s` lookups.
            models.Index(fields=["id_number_hash"], name="residents_res_idhash_idx"),
        ]
        constraints = [
            # One ledger entry per person: the keyed hash of the ID number is unique when present.
            models.UniqueConstraint(fields=["id_number_hash"], condition=~Q(id_number_hash=""),
                                    name="residents_unique_id_number"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def birth_date_shown(self):
        """The birth date where it may be shown unrevealed (core/masking.py): only when no ID number is
        stored, since the full date beside the masked ID narrows the ID to a handful of candidates."""
        return None if self.id_number_masked else self.birth_date

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        return today.year - self.birth_date.year - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))


class MoveKind(models.TextChoices):
    IN = "in", _("迁入")
    OUT = "out", _("迁出")
    WITHIN = "within", _("社区内迁移")


class Move(BaseModel):
    """One move in the resident's history: kept forever, so a resident who left is not lost."""

    resident = models.ForeignKey(Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("类型"), max_length=8, choices=MoveKind.choices)
    date = models.DateField(_("日期"))
    from_household = models.ForeignKey(
        Household, verbose_name=_("原户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    to_household = models.ForeignKey(
        Household, verbose_name=_("新户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    from_text = models.CharField(_("迁出地"), max_length=200, blank=True)
    to_text = models.CharField(_("迁入地"), max_length=200, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("迁移记录")
        verbose_name_plural = _("迁移记录")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.resident_id}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class CareTag(BaseModel):
    """A care or key-group tag 关爱/重点人群标签; the list is kept by admins."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    visit_cycle_days = models.PositiveSmallIntegerField(
        _("走访周期（天）"), null=True, blank=True, help_text=_("带此标签的户应在此天数内走访一次；空为常规周期。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("关爱标签")
        verbose_name_plural = _("关爱标签")

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return ""


class ResidentTagQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class ResidentTag(BaseModel):
    resident = models.ForeignKey(Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="tags")
    tag = models.ForeignKey(CareTag, verbose_name=_("标签"), on_delete=models.PROTECT, related_name="resident_tags")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)

    objects = ResidentTagQuerySet.as_manager()

    class Meta:
        ordering = ["tag__sort_order", "-start_date", "id"]
        verbose_name = _("居民标签")
        verbose_name_plural = _("居民标签")
        indexes = [
            models.Index(fields=["tag", "place_code"], name="residents_tag_place_idx"),
            models.Index(fields=["place_code"], name="residents_tag_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="residents_tag_end_after_start"),
        ]

    def __str__(self):
        return f"{self.tag} · {self.resident_id}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class LedgerImport(BaseModel):
    """One applied Excel import: who, which file, what it created. Audited as one change."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    row_count = models.PositiveIntegerField(_("行数"))
    households_created = models.PositiveIntegerField(_("新建户数"))
    residents_created = models.PositiveIntegerField(_("新建居民数"))
    place_code = models.CharField(_("地点编码"), max_length=20, blank=True,
                                  help_text=_("导入涉及楼栋的共同上级编码。"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")

    def __str__(self):
        return f"{self.filename} ({self.residents_created})"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class LedgerTally(models.Model):
    """One community's ledger figures as the scheduler last counted them (residents/tally.py).

    Derived, never edited: the home panel of a street, a district or the city sums the rows of its scope
    instead of counting 125,000–1,000,000 residents on a first visit. `place_code` is the rows' place code cut
    to a community's length (a row registered above a community keeps its shorter code), so every scope
    filter on `place_code` means here what it means on the ledger."""

    place_code = models.CharField(_("地点编码"), max_length=20, unique=True)
    residents = models.PositiveIntegerField(_("在住居民"), default=0)
    floating = models.PositiveIntegerField(_("流动人口"), default=0)
    households = models.PositiveIntegerField(_("在册户"), default=0)
    without_liaison = models.PositiveIntegerField(_("未落实包户"), default=0)
    counted_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("台账数字")
        verbose_name_plural = _("台账数字")


class LedgerChange(models.Model):
    """A community whose residents or households changed since the scheduler last counted it.

    Written by the database, not by the services: triggers on every insert, update and delete of residents and
    households (migration 0013) note the rows' community, so no write path — a service, an import, a bulk
    update — can change the figures without the tally knowing. While a community has a row here, its home panel
    counts live; the scheduler recounts it and removes the rows it has seen (residents/tally.py). Rows are
    appended, never updated, so writers in one community do not wait for each other on them."""

    place_code = models.CharField(_("地点编码"), max_length=20, db_index=True)

    class Meta:
        verbose_name = _("台账变动")
        verbose_name_plural = _("台账变动")
