"""Training (sessions, attendance, materials, quizzes) and the policy answer base.

Scope: a session, quiz or policy answer belongs to a place (a street or a community) and is managed by
whoever holds `training.change` there. Policy answers also name the places they *apply to*: an answer
issued for the whole mine applies to every community under it.
"""
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class PrivateStorage(LazyObject):
    """Materials live outside MEDIA_ROOT (which DEBUG serves without login): only the view that checks
    the actor's scope reads them."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=getattr(settings, "MINQING_PRIVATE_ROOT", settings.DATA_DIR / "private"),
                                          base_url=None)


private_storage = PrivateStorage()


def get_private_storage():
    """The field's storage as a callable, so migrations name it instead of freezing a machine's path."""
    return private_storage


def material_path(instance, filename: str) -> str:
    return f"training/{timezone.now():%Y/%m}/{filename}"


class TrainingSession(BaseModel):
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("主题"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    audience_roles = models.JSONField(_("对象（角色）"), default=list)
    venue = models.CharField(_("地点（场所）"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")

    def __str__(self):
        return self.topic

    @property
    def audit_place_code(self) -> str:
        return self.place.code


class Attendance(BaseModel):
    session = models.ForeignKey(TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE,
                                related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="+")
    present = models.BooleanField(_("出席"), default=True)

    class Meta:
        ordering = ["session", "user"]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="training_attendance_once")]

    @property
    def audit_place_code(self) -> str:
        return self.session.place.code


class Material(BaseModel):
    session = models.ForeignKey(TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE,
                                related_name="materials")
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, storage=get_private_storage, max_length=200)
    kind = models.CharField(_("类型"), max_length=8)  # pdf, docx, xlsx, pptx, doc, xls, ppt
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "title"]
        verbose_name = _("培训资料")
        verbose_name_plural = _("培训资料")

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.session.place.code


class Quiz(BaseModel):
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(TrainingSession, verbose_name=_("培训"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="quizzes")
    title = models.CharField(_("名称"), max_length=120)
    pass_mark = models.PositiveSmallIntegerField(_("及格分"), default=60, help_text=_("满分 100"))
    required_roles = models.JSONField(_("必修角色"), default=list, blank=True)
    is_open = models.BooleanField(_("开放答题"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("测验")
        verbose_name_plural = _("测验")

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place.code


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")


class Question(BaseModel):
    quiz = models.ForeignKey(Quiz, verbose_name=_("测验"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("选项"), max_length=200)
    correct = models.BooleanField(_("正确"), default=False)

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self):
        return self.text


class QuizAttempt(BaseModel):
    quiz = models.ForeignKey(Quiz, verbose_name=_("测验"), on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答题人"), on_delete=models.CASCADE,
                             related_name="+")
    place_code = models.CharField(_("所在地点编码"), max_length=20, db_index=True)
    score = models.PositiveSmallIntegerField(_("得分"))
    passed = models.BooleanField(_("及格"))
    answers = models.JSONField(_("作答"), default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        indexes = [models.Index(fields=["quiz", "user"], name="training_attempt_quiz_user")]

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class PolicyTopic(models.TextChoices):
    DIBAO = "dibao", _("低保救助")
    ELDERLY = "elderly", _("高龄津贴与养老")
    MEDICAL = "medical", _("医疗保障")
    HOUSING = "housing", _("住房")
    EMPLOYMENT = "employment", _("就业")
    OTHER = "other", _("其他")


class PolicyAnswerQuerySet(models.QuerySet):
    def current(self, on=None):
        """In force on `on` (today): effective, not yet expired."""
        on = on or timezone.localdate()
        return self.filter(effective_on__lte=on).filter(models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on))

    def expired(self, on=None):
        return self.filter(expires_on__lt=on or timezone.localdate())

    def applying_to(self, codes):
        """Answering for any of these place codes (the demand's place and its ancestors)."""
        return self.filter(pk__in=PolicyAnswer.applies_to.through.objects.filter(place__code__in=codes)
                           .values("policyanswer_id"))


class PolicyAnswer(BaseModel):
    place = models.ForeignKey("places.Place", verbose_name=_("维护单位"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("类别"), max_length=16, choices=PolicyTopic.choices, default=PolicyTopic.OTHER)
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("答复口径"))
    source = models.CharField(_("政策依据"), max_length=200, help_text=_("文件名称及文号"))
    issuing_body = models.CharField(_("发文机关"), max_length=100)
    effective_on = models.DateField(_("生效日期"))
    expires_on = models.DateField(_("失效日期"), null=True, blank=True)
    applies_to = models.ManyToManyField("places.Place", verbose_name=_("适用范围"), related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    is_public = models.BooleanField(_("在公开栏展示"), default=True)
    expiry_flagged_on = models.DateField(_("已提醒失效"), null=True, blank=True, editable=False)

    objects = PolicyAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "question", "id"]
        verbose_name = _("政策问答")
        verbose_name_plural = _("政策问答")

    def __str__(self):
        return self.question

    @property
    def audit_place_code(self) -> str:
        return self.place.code

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.effective_on <= on and (self.expires_on is None or self.expires_on >= on)


class PolicySuggestionLog(BaseModel):
    """The answers suggested while one worker drafted a reply to one demand, and those inserted."""

    appeal = models.ForeignKey("appeals.Appeal", verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.CASCADE,
                              related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, db_index=True)
    shown = models.JSONField(_("建议的问答"), default=list, help_text=_("按名次排列的问答编号"))
    used = models.JSONField(_("插入的问答"), default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策问答建议记录")
        verbose_name_plural = _("政策问答建议记录")
        constraints = [models.UniqueConstraint(fields=["appeal", "actor"], name="training_suggestion_once")]

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def top_used(self) -> bool:
        return bool(self.shown) and self.shown[0] in self.used
