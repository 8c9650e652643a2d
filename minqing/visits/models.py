"""Visits 走访, visit cycles and rounds 民情大走访, and help records 帮扶记录.

Scope: every row carries `place_code`, the building code of the household it concerns (copied by
the services from the household), so a scope filter is one prefix scan, like the ledger's.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("常规走访")
    CARE = "care", _("访贫问苦")
    PETITION = "petition", _("下访（信访回访）")
    FESTIVAL = "festival", _("节日慰问")


class VisitRound(BaseModel):
    """A leaders' visiting campaign 民情大走访 over a place and a period."""

    name = models.CharField(_("名称"), max_length=100)
    place = models.ForeignKey("places.Place", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("带队领导"), blank=True,
                                     related_name="+")
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("民情大走访")
        verbose_name_plural = _("民情大走访")
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                              name="visits_round_end_after_start")]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place.code


class Visit(BaseModel):
    household = models.ForeignKey("residents.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="visits")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    visited_on = models.DateField(_("走访日期"), db_index=True)
    kind = models.CharField(_("走访类型"), max_length=16, choices=VisitKind.choices, default=VisitKind.ROUTINE)
    visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("走访人"), related_name="visits")
    met = models.CharField(_("见到"), max_length=100, blank=True, help_text=_("如：户主本人、老人和女儿"))
    notes = models.TextField(_("情况记录"), blank=True)
    round = models.ForeignKey(VisitRound, verbose_name=_("民情大走访"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="visits")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        indexes = [
            models.Index(fields=["place_code"], name="visits_visit_place_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["household", "-visited_on"], name="visits_visit_hh_idx"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.get_kind_display()} {self.household}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DEMAND = "demand", _("已转为诉求")
    SOLVED = "solved", _("当场解决")


class VisitNeed(BaseModel):
    """A need found on a visit; one step turns it into a demand with channel 'found on a visit'."""

    visit = models.ForeignKey(Visit, verbose_name=_("走访"), on_delete=models.CASCADE, related_name="needs")
    text = models.CharField(_("需求"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    # The demand it became. A plain id until the demands app is installed (no FK to an absent app).
    appeal_id = models.PositiveBigIntegerField(_("诉求编号"), null=True, blank=True)
    appeal_label = models.CharField(_("诉求"), max_length=60, blank=True)

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("走访发现的需求")
        verbose_name_plural = _("走访发现的需求")

    def __str__(self):
        return self.text[:40]

    @property
    def audit_place_code(self) -> str:
        return self.visit.place_code


class VisitCycle(BaseModel):
    """How often a kind of household is to be visited. The shortest matching cycle applies.

    tag empty = every household; community empty = every community. Seeded from the care tags'
    suggested cycles (every household quarterly, elders living alone monthly …) and edited here.
    """

    community = models.ForeignKey("places.Place", verbose_name=_("社区"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+", help_text=_("空为全部社区。"))
    tag = models.ForeignKey("residents.CareTag", verbose_name=_("户类型（标签）"), null=True, blank=True,
                            on_delete=models.CASCADE, related_name="+", help_text=_("空为所有户。"))
    interval_days = models.PositiveSmallIntegerField(_("周期（天）"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["community__code", "interval_days", "id"]
        verbose_name = _("走访周期")
        verbose_name_plural = _("走访周期")
        constraints = [
            models.CheckConstraint(condition=models.Q(interval_days__gte=1), name="visits_cycle_positive"),
            models.UniqueConstraint(fields=["community", "tag"], name="visits_one_cycle_per_kind"),
        ]

    def __str__(self):
        return f"{self.tag or _('所有户')} · {self.interval_days}{_('天')}"

    @property
    def audit_place_code(self) -> str:
        return self.community.code if self.community_id else ""


class HelpKind(models.TextChoices):
    VISIT = "visit", _("看望探访")
    GOODS = "goods", _("物资")
    MONEY = "money", _("资金")
    REFERRAL = "referral", _("转介服务")
    SERVICE = "service", _("志愿服务")


class HelpRecord(BaseModel):
    """Help given to a household in need: who gave what, when, worth how much."""

    household = models.ForeignKey("residents.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="help_records")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("受助人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="help_records")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    kind = models.CharField(_("帮扶方式"), max_length=16, choices=HelpKind.choices)
    given_on = models.DateField(_("日期"), db_index=True)
    description = models.CharField(_("内容"), max_length=300)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
                                 help_text=_("资金为发放金额，物资为折合金额。"))
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：社区、慈善会、结对党员"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                 related_name="+")
    visit = models.ForeignKey(Visit, verbose_name=_("走访"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="help_records")

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        indexes = [models.Index(fields=["place_code"], name="visits_help_place_idx", opclasses=["varchar_pattern_ops"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                                              name="visits_help_amount_not_negative")]

    def __str__(self):
        return f"{self.given_on} {self.get_kind_display()} {self.description[:20]}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code
