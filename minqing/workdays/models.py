"""The working-day calendar as data: which years are known, and the days that break the weekly rule.

Only exceptions are stored: a holiday (法定节假日, including the weekend days inside a holiday
block) and a make-up working day 调休 on a weekend. Any other day of a known year follows the week
(Monday–Friday work). A year without a CalendarYear row is not known yet: the fallback rule applies
(weekends plus the fixed-date statutory holidays), see calendar.py.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar 包")
    ADMIN = "admin", _("管理员录入")


class CalendarYear(BaseModel):
    """A year whose official schedule (国务院办公厅放假安排) has been entered."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self):
        return str(self.year)

    @property
    def audit_place_code(self) -> str:
        return ""


class CalendarDay(BaseModel):
    """One day that differs from the weekly rule: a holiday, or a weekend make-up working day."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")

    def __str__(self):
        return f"{self.date} {self.name} {'上班' if self.is_workday else '休息'}"

    @property
    def audit_place_code(self) -> str:
        return ""
