"""Assessment 考核: schemes of weighted indicators per period, the scores behind each ranking, the
street's own score (上评下), the quarterly 四无 building checks with the civility awards they lead to,
and leaders' 专题调研 records for the 五个一 checklist.

A scheme's life is a table (SCHEME): draft ─publish→ open ─close→ closed. Scores are stored per
subject × indicator (Score), so a ranking is one read of a few hundred rows, never a recomputation.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class Subject(models.TextChoices):
    COMMUNITY = "community", _("社区")
    STAFF = "staff", _("工作人员")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("考核中")
    CLOSED = "closed", _("已结束")


class SchemeVerb(models.TextChoices):
    PUBLISH = "publish", _("发布")
    CLOSE = "close", _("结束考核")
    REOPEN = "reopen", _("重新开放")


SCHEME = TransitionTable(name="assessment.scheme", noun=_("考核方案"), states=SchemeStatus, verbs=SchemeVerb, moves={
    (SchemeStatus.DRAFT, SchemeVerb.PUBLISH): SchemeStatus.OPEN,
    (SchemeStatus.OPEN, SchemeVerb.CLOSE): SchemeStatus.CLOSED,
    (SchemeStatus.CLOSED, SchemeVerb.REOPEN): SchemeStatus.OPEN,
})


class Scheme(BaseModel):
    name = models.CharField(_("方案名称"), max_length=100)
    street = models.ForeignKey("places.Place", verbose_name=_("制定单位（街道）"), on_delete=models.PROTECT,
                               related_name="+")
    subject = models.CharField(_("考核对象"), max_length=12, choices=Subject.choices, default=Subject.COMMUNITY)
    period_kind = models.CharField(_("考核周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=8, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="assessment_scheme_end_after_start")]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.street.code

    @property
    def total_weight(self) -> int:
        return sum(i.weight for i in self.indicators.all())


class Indicator(BaseModel):
    """One weighted line of a scheme. `code` names a definition in indicators.py (docs/assessment.md)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标"), max_length=32)
    weight = models.PositiveSmallIntegerField(_("权重"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["scheme", "position", "id"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="assessment_indicator_once")]

    def __str__(self):
        return f"{self.code} ({self.weight})"

    @property
    def audit_place_code(self) -> str:
        return self.scheme.street.code


class TopDownScore(BaseModel):
    """上评下: the score (0–100) the street gives a community or a staff member for the period."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="top_down")
    place = models.ForeignKey("places.Place", verbose_name=_("社区"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("评语"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["scheme", "place", "user"]
        verbose_name = _("上评下评分")
        verbose_name_plural = _("上评下评分")
        constraints = [models.UniqueConstraint(fields=["scheme", "place", "user"], name="assessment_top_down_once")]

    def __str__(self):
        return f"{self.place or self.user}: {self.score}"

    @property
    def audit_place_code(self) -> str:
        return self.place.code if self.place_id else self.scheme.street.code


class Score(models.Model):
    """The stored result of one indicator for one subject: the figures behind it and its 0–100 score.

    Written only by `scheme_compute` (all rows of a scheme replaced in one transaction, audited there);
    rankings read these rows, so they stay fast and stay what was computed until recomputed."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="scores")
    place = models.ForeignKey("places.Place", verbose_name=_("社区"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("指标"), max_length=32)
    numerator = models.FloatField(_("分子"), null=True, blank=True)
    denominator = models.FloatField(_("分母"), null=True, blank=True)
    value = models.FloatField(_("数值"), null=True, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)

    class Meta:
        ordering = ["scheme", "place", "user", "code"]
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        indexes = [models.Index(fields=["scheme", "code"])]


# --- 四无 checks and civility awards (seed 003) ------------------------------------------------------

FOUR_NOS = (
    ("no_mess", _("清洁卫生无脏、乱、差")),
    ("no_vice", _("居民无黄、赌、毒")),
    ("no_theft_fire", _("楼栋无偷盗、失火")),
    ("no_quarrels", _("地段无口角纠纷、打架斗殴")),
)


class CivilityCheck(BaseModel):
    """One building's 四无 check for one quarter, filed by the grid worker."""

    building = models.ForeignKey("places.Place", verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, q) for q in (1, 2, 3, 4)])
    no_mess = models.BooleanField(FOUR_NOS[0][1])
    no_vice = models.BooleanField(FOUR_NOS[1][1])
    no_theft_fire = models.BooleanField(FOUR_NOS[2][1])
    no_quarrels = models.BooleanField(FOUR_NOS[3][1])
    note = models.CharField(_("情况说明"), max_length=300, blank=True)
    checked_on = models.DateField(_("检查日期"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-year", "-quarter", "building__code"]
        verbose_name = _("四无检查")
        verbose_name_plural = _("四无检查")
        constraints = [models.UniqueConstraint(fields=["building", "year", "quarter"], name="assessment_check_once")]

    def __str__(self):
        return f"{self.building} {self.year}Q{self.quarter}"

    @property
    def audit_place_code(self) -> str:
        return self.building.code

    @property
    def passed(self) -> bool:
        return all(getattr(self, name) for name, _label in FOUR_NOS)

    @property
    def failed_items(self) -> list[str]:
        return [str(label) for name, label in FOUR_NOS if not getattr(self, name)]


class AwardKind(models.TextChoices):
    BUILDING = "building", _("文明楼栋")
    FAMILY = "family", _("文明家庭")
    RESIDENT = "resident", _("文明居民")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    PUBLISHED = "published", _("已公示")


class NominationVerb(models.TextChoices):
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("不批准")
    PUBLISH = "publish", _("公示")


NOMINATION = TransitionTable(name="assessment.nomination", noun=_("评比推荐"), states=NominationStatus,
                             verbs=NominationVerb, moves={
    (NominationStatus.NOMINATED, NominationVerb.APPROVE): NominationStatus.APPROVED,
    (NominationStatus.NOMINATED, NominationVerb.REJECT): NominationStatus.REJECTED,
    (NominationStatus.APPROVED, NominationVerb.PUBLISH): NominationStatus.PUBLISHED,
})


class Nomination(BaseModel):
    """A 文明楼栋 / 文明家庭 / 文明居民 nomination for a quarter whose 四无 check passed."""

    kind = models.CharField(_("评比类别"), max_length=10, choices=AwardKind.choices)
    civility_check = models.ForeignKey(CivilityCheck, verbose_name=_("四无检查"), on_delete=models.PROTECT,
                              related_name="nominations")
    household = models.ForeignKey("residents.Household", verbose_name=_("家庭"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("推荐理由"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=NominationStatus.choices,
                              default=NominationStatus.NOMINATED)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), on_delete=models.PROTECT,
                                     related_name="+")
    notice = models.ForeignKey("disclosure.Notice", verbose_name=_("公示"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-civility_check__year", "-civility_check__quarter", "kind", "id"]
        verbose_name = _("文明评比推荐")
        verbose_name_plural = _("文明评比推荐")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.honoree}"

    @property
    def honoree(self) -> str:
        if self.kind == AwardKind.RESIDENT and self.resident_id:
            return str(self.resident.name)
        if self.kind == AwardKind.FAMILY and self.household_id:
            return str(self.household)
        return str(self.civility_check.building)

    @property
    def public_name(self) -> str:
        """As the public board shows it: names masked (张*丰), never more than the building and room."""
        from minqing.core.masking import mask_name

        if self.kind == AwardKind.RESIDENT and self.resident_id:
            return mask_name(self.resident.name)
        if self.kind == AwardKind.FAMILY and self.household_id:
            head = self.household.head
            return f"{self.household}" + (f" {mask_name(head.name)}" if head else "")
        return str(self.civility_check.building)

    @property
    def audit_place_code(self) -> str:
        return self.civility_check.building.code


class Study(BaseModel):
    """专题调研: a leader's study of one question (an item of the 五个一), with its findings."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("领导"), on_delete=models.PROTECT,
                               related_name="+")
    place = models.ForeignKey("places.Place", verbose_name=_("调研地点"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("调研题目"), max_length=120)
    done_on = models.DateField(_("日期"))
    findings = models.TextField(_("调研结论"))

    class Meta:
        ordering = ["-done_on", "id"]
        verbose_name = _("专题调研")
        verbose_name_plural = _("专题调研")

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place.code
