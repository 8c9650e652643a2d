"""Early warning 群体性事件预警: configurable rules and the alerts they raise.

An alert is raised once per trigger (`trigger_key` is unique) and, while one is still open, not again
for the same subject (a resident, a dispute, a matter), so running the rules twice changes nothing.
It carries its own explanation — which rule, which numbers, which records — and must be handled:
new → acknowledged → handled (what was done) → closed.
"""
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable


class RuleCode(models.TextChoices):
    MANY_RESIDENTS = "many_residents", _("多名居民反映同一事项")
    KEYWORDS = "keywords", _("诉求/纠纷出现激化关键词")
    DISPUTE_OVERDUE = "dispute_overdue", _("较大/重大纠纷逾期未化解")
    REOPENED = "reopened", _("同一事项反复重办")
    CARE_REPEATED = "care_repeated", _("重点人群诉求反复未解决")


class Level(models.TextChoices):
    BLUE = "blue", _("蓝色（一般）")
    YELLOW = "yellow", _("黄色（较重）")
    ORANGE = "orange", _("橙色（严重）")
    RED = "red", _("红色（特别严重）")


# The colour alone, for one-line summaries ("橙色 → 红色").
LEVEL_SHORT = {Level.BLUE: _("蓝色"), Level.YELLOW: _("黄色"), Level.ORANGE: _("橙色"), Level.RED: _("红色")}
LEVEL_RANK = {Level.BLUE: 1, Level.YELLOW: 2, Level.ORANGE: 3, Level.RED: 4}
# How soon an alert must be handled, by level: the "handled in time" figure uses it.
HANDLE_WITHIN_HOURS = {Level.RED: 24, Level.ORANGE: 48, Level.YELLOW: 72, Level.BLUE: 168}


class Status(models.TextChoices):
    NEW = "new", _("新预警")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    HANDLED = "handled", _("已处置")
    CLOSED = "closed", _("已关闭")


class Verb(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("签收")
    HANDLE = "handle", _("处置")
    REOPEN = "reopen", _("退回重新处置")
    CLOSE = "close", _("关闭")


ALERT = TransitionTable(name="alert", noun=_("预警"), states=Status, verbs=Verb, moves={
    (Status.NEW, Verb.ACKNOWLEDGE): Status.ACKNOWLEDGED,
    (Status.NEW, Verb.HANDLE): Status.HANDLED,
    (Status.ACKNOWLEDGED, Verb.HANDLE): Status.HANDLED,
    (Status.HANDLED, Verb.REOPEN): Status.ACKNOWLEDGED,
    (Status.HANDLED, Verb.CLOSE): Status.CLOSED,
})
OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.HANDLED)


class WarningRule(BaseModel):
    """The stored settings of one rule; a rule without a row runs with the defaults in rules.py."""

    code = models.CharField(_("规则"), max_length=20, choices=RuleCode.choices, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    level = models.CharField(_("预警级别"), max_length=8, choices=Level.choices)
    params = models.JSONField(_("阈值参数"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")

    def __str__(self):
        return self.get_code_display()

    @property
    def audit_place_code(self) -> str:
        return ""


class AlertQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, now: datetime.datetime | None = None):
        return self.filter(status__in=(Status.NEW, Status.ACKNOWLEDGED), due_at__lt=now or timezone.now())


class Alert(BaseModel):
    rule = models.CharField(_("预警规则"), max_length=20, choices=RuleCode.choices, db_index=True)
    trigger_key = models.CharField(_("触发标识"), max_length=120, unique=True)
    subject_key = models.CharField(_("预警对象"), max_length=80, db_index=True)
    level = models.CharField(_("预警级别"), max_length=8, choices=Level.choices)
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="alerts")
    title = models.CharField(_("预警事项"), max_length=200)
    explanation = models.TextField(_("预警依据"))
    evidence = models.JSONField(_("相关记录"), default=dict, blank=True)
    dispute = models.ForeignKey("disputes.Dispute", verbose_name=_("相关纠纷"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="alerts")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.NEW, db_index=True)
    due_at = models.DateTimeField(_("处置时限"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    action_taken = models.TextField(_("处置情况"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处置人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        indexes = [models.Index(fields=["rule", "subject_key", "status"])]

    def __str__(self):
        return f"[{self.get_level_display()}] {self.title}"

    @property
    def title_shown(self):
        """The title in the reader's language, the records' words marked as data (alerts.display)."""
        from .display import title_shown

        return title_shown(self)

    @property
    def explanation_shown(self):
        from .display import explanation_shown

        return explanation_shown(self)

    @property
    def audit_place_code(self) -> str:
        return self.place.code

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def handled_in_time(self) -> bool | None:
        if self.handled_at is None:
            return None
        return self.handled_at <= self.due_at

    @property
    def is_overdue(self) -> bool:
        return self.status in (Status.NEW, Status.ACKNOWLEDGED) and self.due_at < timezone.now()

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK[self.level]

    def can(self, verb: str) -> bool:
        return ALERT.can(self, verb)
