"""What the insight app stores: the suggestions shown at intake and what the worker chose."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class CategorySuggestionLog(BaseModel):
    """One row per suggestion shown, so accuracy in use (chosen == suggested) can be measured."""

    appeal = models.ForeignKey("appeals.Appeal", verbose_name=_("诉求"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    model_name = models.CharField(_("模型"), max_length=60)
    suggested = models.JSONField(_("建议分类"), help_text=_("前三名：分类、置信度、关键词"))
    suggested_top = models.CharField(_("首选建议"), max_length=60)
    confidence = models.FloatField(_("置信度"))
    chosen = models.CharField(_("实际选择"), max_length=60, blank=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("选择人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("分类建议记录")
        verbose_name_plural = _("分类建议记录")

    def __str__(self):
        return f"{self.suggested_top} → {self.chosen or '—'}"

    @property
    def accepted(self) -> bool:
        return bool(self.chosen) and self.chosen == self.suggested_top
