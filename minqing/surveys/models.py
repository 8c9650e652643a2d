"""Surveys 测评 answered anonymously by residents, and ratings of named staff 民评官.

A survey belongs to a place (a community, or a street for a street-wide survey); `place_code` scopes
it. A respondent is known only by `respondent_hash`: the server's keyed hash of their phone mixed with
the survey's own random salt, so the same phone cannot be linked across surveys and is never stored.
One answer per person per survey is a unique constraint. Once a survey has an answer, its questions
are frozen (the services refuse edits), so every answer was given to the same questions.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("收集中")
    CLOSED = "closed", _("已结束")


class SurveyVerb(models.TextChoices):
    PUBLISH = "publish", _("发布")
    CLOSE = "close", _("结束")


SURVEY = TransitionTable(
    name="surveys.survey", noun=_("问卷"), states=SurveyStatus, verbs=SurveyVerb,
    moves={(SurveyStatus.DRAFT, SurveyVerb.PUBLISH): SurveyStatus.OPEN,
           (SurveyStatus.OPEN, SurveyVerb.CLOSE): SurveyStatus.CLOSED},
)


class Survey(BaseModel):
    place = models.ForeignKey("places.Place", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False, db_index=True)
    title = models.CharField(_("标题"), max_length=100)
    intro = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    closes_at = models.DateTimeField(_("截止时间"))
    public_token = models.CharField(_("公开链接标识"), max_length=32, unique=True, editable=False)
    salt = models.CharField(_("散列盐"), max_length=32, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def shown_status(self) -> str:
        """What a page says: an open survey past its deadline reads as closed (it takes no answers)."""
        if self.status == SurveyStatus.OPEN and self.closes_at <= timezone.now():
            return str(SurveyStatus.CLOSED.label)
        return self.get_status_display()


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    SCALE = "scale", _("1–5 分")
    TEXT = "text", _("文字")
    STAFF = "staff", _("干部评价（满意/基本满意/不满意）")


class Question(BaseModel):
    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被评价干部"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind="staff") | models.Q(staff__isnull=False),
                                   name="surveys_staff_question_names_staff"),
        ]

    def __str__(self):
        return self.text

    @property
    def audit_place_code(self) -> str:
        return self.survey.place_code


class Response(BaseModel):
    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    respondent_hash = models.CharField(_("答卷人（散列）"), max_length=64, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        constraints = [
            # One answer per person per survey, whatever the timing of two requests.
            models.UniqueConstraint(fields=["survey", "respondent_hash"], name="surveys_one_answer_per_person"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(_("所选"), default=list, blank=True)  # option indexes (single/multiple)
    value = models.PositiveSmallIntegerField(_("分值"), null=True, blank=True)  # 1–5
    text = models.TextField(_("文字"), blank=True)

    class Meta:
        ordering = ["response", "question__position"]
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_once")]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


RATING_SCORES = {Rating.SATISFIED: 100, Rating.BASIC: 60, Rating.DISSATISFIED: 0}  # docs/architecture.md


class RatingSource(models.TextChoices):
    SURVEY = "survey", _("问卷")
    APPEAL = "appeal", _("诉求查询页")


class StaffRating(BaseModel):
    """A resident's rating of a named staff member 民评官, from a survey or a demand's tracking page."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被评价干部"), on_delete=models.PROTECT,
                              related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False, db_index=True)
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=RatingSource.choices)
    response = models.ForeignKey(Response, verbose_name=_("答卷"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="ratings")
    appeal = models.ForeignKey("appeals.Appeal", verbose_name=_("诉求"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"), db_index=True)

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("干部评价")
        verbose_name_plural = _("干部评价")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "staff"], condition=models.Q(appeal__isnull=False),
                                    name="surveys_rating_once_per_appeal"),
            models.CheckConstraint(condition=models.Q(response__isnull=False) | models.Q(appeal__isnull=False),
                                   name="surveys_rating_has_source"),
        ]
        indexes = [models.Index(fields=["staff", "rated_at"], name="surveys_rating_staff_idx")]

    def __str__(self):
        return f"{self.staff} · {self.get_rating_display()}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code
