"""Major-decision social stability risk assessment 重大决策社会稳定风险评估 (稳评).

A decision (a heating fee change, a demolition) is assessed before it is taken: who was consulted,
which risk points (likelihood × impact, each 1–5), the overall level, the measures, and a conclusion
— go, defer or drop — signed by a responsible person. Once signed it no longer changes.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class AssessmentLevel(models.TextChoices):
    LOW = "low", _("低风险")
    MEDIUM = "medium", _("中风险")
    HIGH = "high", _("高风险")


def level_for_score(score: int) -> str:
    """Likelihood × impact on 1–5 scales: ≥15 high, ≥8 medium, else low (the usual 5×5 matrix)."""
    if score >= 15:
        return AssessmentLevel.HIGH
    if score >= 8:
        return AssessmentLevel.MEDIUM
    return AssessmentLevel.LOW


class StabilityAssessment(BaseModel):
    class Conclusion(models.TextChoices):
        GO = "go", _("可以实施")
        DEFER = "defer", _("暂缓实施")
        DROP = "drop", _("不予实施")

    class State(models.TextChoices):
        DRAFT = "draft", _("评估中")
        SIGNED = "signed", _("已签发")

    place = models.ForeignKey("places.Place", verbose_name=_("涉及地区"), on_delete=models.PROTECT,
                              related_name="stability_assessments")
    decision = models.CharField(_("拟决策事项"), max_length=150)
    decision_maker = models.CharField(_("决策主体"), max_length=100)
    background = models.TextField(_("决策内容与背景"))
    affected_people = models.PositiveIntegerField(_("涉及群众人数"), default=0)
    overall_level = models.CharField(_("综合风险等级"), max_length=8, choices=AssessmentLevel.choices, blank=True)
    measures = models.TextField(_("风险防范化解措施"), blank=True)
    conclusion = models.CharField(_("评估结论"), max_length=8, choices=Conclusion.choices, blank=True)
    conclusion_reason = models.TextField(_("结论理由"), blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("社会稳定风险评估")
        verbose_name_plural = _("社会稳定风险评估")

    def __str__(self):
        return self.decision

    @property
    def audit_place_code(self) -> str:
        return self.place.code

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED

    @property
    def suggested_level(self) -> str:
        """The highest risk point decides the suggested overall level; no risk point suggests nothing."""
        scores = [point.score for point in self.risk_points.all()]
        return level_for_score(max(scores)) if scores else ""

    @property
    def suggested_level_label(self) -> str:
        level = self.suggested_level
        return str(AssessmentLevel(level).label) if level else ""


class Consultation(BaseModel):
    """How residents were heard: a meeting, a survey, home visits, a hearing — a record or a link to one."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("座谈会/恳谈会")
        SURVEY = "survey", _("问卷调查")
        VISIT = "visit", _("入户走访")
        HEARING = "hearing", _("听证会")
        NOTICE = "notice", _("公示征求意见")

    assessment = models.ForeignKey(StabilityAssessment, verbose_name=_("稳评"), on_delete=models.CASCADE,
                                   related_name="consultations")
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices)
    held_on = models.DateField(_("日期"))
    people_count = models.PositiveIntegerField(_("参与人数"), default=0)
    support_count = models.PositiveIntegerField(_("赞成人数"), default=0)
    summary = models.TextField(_("主要意见"))
    link = models.CharField(_("相关记录链接"), max_length=300, blank=True,
                            help_text=_("会议、测评或走访记录的页面地址（可选）"))
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("会议"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="consultations",
                                help_text=_("座谈会、恳谈会或听证会的会议记录（可选）"))

    class Meta:
        ordering = ["assessment", "held_on"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self):
        return f"{self.get_method_display()} {self.held_on}"

    @property
    def audit_place_code(self) -> str:
        return self.assessment.place.code


class RiskPoint(BaseModel):
    assessment = models.ForeignKey(StabilityAssessment, verbose_name=_("稳评"), on_delete=models.CASCADE,
                                   related_name="risk_points")
    description = models.TextField(_("风险点"))
    likelihood = models.PositiveSmallIntegerField(_("可能性(1-5)"))
    impact = models.PositiveSmallIntegerField(_("影响程度(1-5)"))
    measure = models.TextField(_("防范措施"), blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1,
                                                      impact__lte=5), name="disputes_risk_scale_1_5"),
        ]

    def __str__(self):
        return self.description[:40]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        return level_for_score(self.score)

    @property
    def audit_place_code(self) -> str:
        return self.assessment.place.code
