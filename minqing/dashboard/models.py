"""Pre-aggregated figures of the demands loop (docs/metrics.md, "Rollups").

AppealRollup holds, per day (and per month, summed from the days) × community × one dimension value,
every counter of metrics.COUNTERS and the two duration histograms. The dashboard and the reports
read these rows; `rollups.rollups_recompute` rebuilds them from the demands for the days a change
touched (RollupDirtyDay, written in the same transaction as the change by the appeals services).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel

from .metrics import STORED_FIELDS


class Span(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")


class Dim(models.TextChoices):
    ALL = "all", _("合计")
    CATEGORY = "category", _("分类")
    CHANNEL = "channel", _("渠道")
    HANDLER = "handler", _("承办人")
    UNIT = "unit", _("协办单位")


ROLLUP_PLACE_LENGTH = 12  # a demand's place code cut to its community (longer codes: grid, building)

# One PositiveIntegerField per counter and histogram bucket, generated from metrics.STORED_FIELDS so
# that adding a counter there is one line plus a migration.
RollupCounts = type("RollupCounts", (BaseModel,), {
    "__module__": __name__,
    "Meta": type("Meta", (), {"abstract": True}),
    **{name: models.PositiveIntegerField(name, default=0) for name in STORED_FIELDS},
})


class AppealRollup(RollupCounts):
    span = models.CharField(_("粒度"), max_length=5, choices=Span.choices)
    period = models.DateField(_("日期"), help_text=_("日：当天；月：当月第一天"))
    place_code = models.CharField(_("地点编码"), max_length=ROLLUP_PLACE_LENGTH,
                                  help_text=_("诉求地点截至社区一级"))
    dim = models.CharField(_("维度"), max_length=10, choices=Dim.choices)
    key = models.CharField(_("维度取值"), max_length=20, blank=True)

    class Meta:
        ordering = ["span", "period", "place_code", "dim", "key"]
        verbose_name = _("诉求统计汇总")
        verbose_name_plural = _("诉求统计汇总")
        constraints = [
            models.UniqueConstraint(fields=["span", "period", "place_code", "dim", "key"],
                                    name="dashboard_rollup_unique"),
        ]
        indexes = [
            models.Index(fields=["dim", "span", "place_code", "period"], name="dashboard_rollup_read_idx",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "varchar_pattern_ops",
                                    "date_ops"]),
        ]

    def __str__(self):
        return f"{self.span} {self.period} {self.place_code} {self.dim}={self.key}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class RollupDirtyDay(models.Model):
    """A day whose rollups must be recomputed: one row per change, inserted by the change's own
    transaction, deleted by id once recomputed (so a mark made during a recompute is never lost)."""

    day = models.DateField(_("日期"))
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待重算日期")
        verbose_name_plural = _("待重算日期")

    def __str__(self):
        return str(self.day)

    @property
    def audit_place_code(self) -> str:
        return ""


class RollupState(BaseModel):
    """One row: the lock every recompute takes, and when the figures were last brought up to date."""

    refreshed_at = models.DateTimeField(_("最近更新"), null=True, blank=True)
    swept_on = models.DateField(_("最近全面核对日期"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("最近重建"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("统计汇总状态")
        verbose_name_plural = _("统计汇总状态")

    def __str__(self):
        return f"{self.refreshed_at}"

    @property
    def audit_place_code(self) -> str:
        return ""
