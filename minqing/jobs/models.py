"""One lock row per scheduled job: a lease taken with a conditional UPDATE (atomic on every database).

Two schedulers started at once both try `UPDATE … WHERE locked_until IS NULL OR locked_until < now`;
exactly one row update succeeds, the other run skips the job. A crashed run's lease expires by itself.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLock(models.Model):
    name = models.CharField(_("任务"), max_length=80, unique=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    locked_by = models.CharField(_("持有者"), max_length=80, blank=True)
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次完成"), null=True, blank=True)
    last_result = models.CharField(_("上次结果"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("任务锁")
        verbose_name_plural = _("任务锁")

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return ""
