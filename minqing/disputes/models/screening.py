"""Screening rounds 排查: each grid reports, per period, what it found — and says so when it found nothing."""
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Period(models.TextChoices):
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")


def period_bounds(day: datetime.date, period: str = Period.WEEK) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the week (Monday–Sunday) or month containing `day`."""
    if period == Period.MONTH:
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


class ScreeningRound(BaseModel):
    """One grid's report for one period. `found_nothing` is an explicit statement, not a missing report."""

    grid = models.ForeignKey("places.Place", verbose_name=_("网格"), on_delete=models.PROTECT,
                             related_name="screening_rounds")
    period = models.CharField(_("周期"), max_length=8, choices=Period.choices, default=Period.WEEK)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    found_nothing = models.BooleanField(_("未发现矛盾纠纷"), default=False)
    summary = models.TextField(_("排查情况"), blank=True)
    households_visited = models.PositiveIntegerField(_("走访户数"), default=0)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["-period_start", "grid__code"]
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        constraints = [
            models.UniqueConstraint(fields=["grid", "period", "period_start"], name="disputes_one_round_per_period"),
        ]

    def __str__(self):
        return f"{self.grid} {self.period_start:%Y-%m-%d} {_('排查')}"

    @property
    def audit_place_code(self) -> str:
        return self.grid.code
