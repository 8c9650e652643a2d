"""Categories (two levels, editable) and the service-level table category × urgency → limits.

Models of the appeals app, kept in their own module; services for them are in taxonomy_services.py.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Category(BaseModel):
    parent = models.ForeignKey("self", verbose_name=_("上级分类"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("名称"), max_length=60)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    source = models.CharField(_("来源"), max_length=20, default="default", help_text=_("default 或导入文件名"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        app_label = "appeals"
        ordering = ["sort", "id"]
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="appeals_category_unique_name"),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def audit_place_code(self) -> str:
        return ""

    @property
    def top(self):
        return self.parent if self.parent_id else self


class ServiceLevel(BaseModel):
    """Limits in working days. A row for a second-level category wins over its parent's; the row
    with no category is the default."""

    category = models.ForeignKey(Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="service_levels")
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    response_days = models.PositiveSmallIntegerField(_("响应时限（工作日）"))
    handle_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))

    class Meta:
        app_label = "appeals"
        ordering = ["category", "urgency"]
        verbose_name = _("办理时限标准")
        verbose_name_plural = _("办理时限标准")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="appeals_sla_unique"),
            models.UniqueConstraint(fields=["urgency"], condition=models.Q(category__isnull=True),
                                    name="appeals_sla_one_default"),
        ]

    def __str__(self):
        return f"{self.category or _('默认')} · {self.get_urgency_display()}"

    @property
    def audit_place_code(self) -> str:
        return ""
