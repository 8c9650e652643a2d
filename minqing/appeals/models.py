"""Demands 诉求: the closed loop from intake to rating.

Status + APPEAL (the transition table of allowed moves, rejecting by default) live here; one service per
verb lives in services.py. The Appeal row keeps every timestamp the rates need (submitted_at,
first_response_at, dispatched_at, replied_at, closed_at, deadlines, return/reopen counts,
is_overdue), so rates are aggregate queries over one table; AppealEvent keeps the timeline.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable

from .taxonomy import Category, ServiceLevel, Urgency  # noqa: F401  (models of this app)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    DISPATCHED = "dispatched", _("已派单")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("已退单")
    REPLIED = "replied", _("已答复")
    FOLLOWED_UP = "followed_up", _("已回访")
    CLOSED = "closed", _("已办结")
    REOPENED = "reopened", _("重办")
    MERGED = "merged", _("已合并")


S = Status
OPEN_STATUSES = (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.REPLIED, S.FOLLOWED_UP,
                 S.REOPENED)
HANDLING_STATUSES = (S.DISPATCHED, S.IN_PROGRESS)  # the handling deadline runs
FINAL_STATUSES = (S.REJECTED, S.CLOSED, S.MERGED)

# 三定: who may lead a dispatched demand and who may handle it, at its place. The dispatch form offers
# exactly the holders of these (policy.holders) and the service accepts exactly them (policy.can).
LEADER_PERM = "appeal.dispatch"
HANDLER_PERM = "appeal.reply"

ACTOR_WORDS = {"居民": _("居民"), "系统": _("系统")}  # stored by services.RESIDENT and the overdue job
LINK_NOTES = {"recurrence": _("复发自 %(code)s"), "matter": _("与 %(code)s 为同一事项")}
VERB_LABELS = {
    "submit": _("提交"), "accept": _("受理"), "reject": _("不予受理"), "dispatch": _("派单"), "start": _("签收办理"),
    "return": _("退单"), "reply": _("答复"), "follow_up": _("回访"), "follow_up_reopen": _("回访"),
    "close": _("办结"), "close_unrated": _("办结"), "reopen": _("重办"),
    "merge": _("合并"), "supervise": _("督办"), "supervision_answer": _("督办反馈"), "link": _("关联"),
    "overdue": _("超期"),
}

# (status, verb) → status; a pair not listed is refused (TransitionNotAllowed). A follow-up's outcome
# is two verbs: satisfied → followed up, dissatisfied → reopened (counted as a reopen). Staff close
# only after a follow-up; a reply nobody rated is closed by the scheduler's own verb, close_unrated.
# Supervising and linking move nothing, on every open (supervise) or any (link) demand.
_MOVES = {
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "reject"): S.REJECTED,
    **{(s, "dispatch"): S.DISPATCHED for s in (S.ACCEPTED, S.RETURNED, S.REOPENED)},
    (S.DISPATCHED, "start"): S.IN_PROGRESS,
    **{(s, "return"): S.RETURNED for s in (S.DISPATCHED, S.IN_PROGRESS)},
    (S.IN_PROGRESS, "reply"): S.REPLIED,
    (S.REPLIED, "follow_up"): S.FOLLOWED_UP,
    (S.REPLIED, "follow_up_reopen"): S.REOPENED,
    (S.FOLLOWED_UP, "close"): S.CLOSED,
    (S.REPLIED, "close_unrated"): S.CLOSED,
    **{(s, "reopen"): S.REOPENED for s in (S.REPLIED, S.FOLLOWED_UP, S.CLOSED)},
    **{(s, "merge"): S.MERGED for s in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED,
                                        S.REOPENED)},
    **{(s, "supervise"): s for s in OPEN_STATUSES},
    **{(s, "link"): s for s in Status.values},
}
# The timeline, the audit action and the API keep the names people know for the two split verbs.
APPEAL = TransitionTable(name="appeal", noun=_("诉求"), states=Status, verbs=VERB_LABELS, moves=_MOVES,
                         recorded_as={"follow_up_reopen": "follow_up", "close_unrated": "close"})


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("专线电话")
    BOX = "box", _("意见箱")
    WEB = "web", _("网页/手机")
    VISIT = "visit", _("走访发现")
    MEETING = "meeting", _("会议")
    TRANSFER = "transfer", _("上级转办")


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("已解决")
    PARTLY = "partly", _("部分解决")
    PENDING = "pending", _("合理但暂缓解决")
    UNREASONABLE = "unreasonable", _("诉求不合理，已解释")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NOT_RATED = "not_rated", _("未评价")


class FollowUpBy(models.TextChoices):
    STAFF = "staff", _("工作人员回访")
    RESIDENT = "resident", _("居民自评")
    TIMEOUT = "timeout", _("逾期未评")


# What a row of a demand list shows (appeals.rows) and nothing more. A demand has ~50 columns, ~15 of
# them timestamps; loading them all with the five joined rows for a page of 50 was about a third of the
# list page's CPU (issue 19). A template that shows another field of a row gets one query per row: the
# query-budget tests of the list pages catch that.
ROW_FIELDS = ("receipt_code", "title", "status", "is_overdue", "place_code", "submitted_at", "handle_deadline",
              "place__name", "category__name", "category__parent__name", "handler_user__username",
              "handler_user__display_name", "handler_unit__name")
ROW_RELATED = ("place", "category", "category__parent", "handler_user", "handler_unit")
# The demand's own columns of a row; the related names come after (rows.attach_names).
ROW_OWN_FIELDS = tuple(f for f in ROW_FIELDS if "__" not in f) + ("place", "category", "handler_user",
                                                                  "handler_unit")


class RowIterable(ModelIterable):
    """The demands of a list, then their related names in one more query (rows.attach_names).

    Why not select_related: the five joins cost PostgreSQL more to plan than the page costs to read — a
    street's filtered list spent ~2.7 of its ~3.2 ms of database CPU planning the seven-table select, every
    time (issue 19) — and a join per row of names that repeat (fifty demands, a handful of places)."""

    def __iter__(self):
        from .rows import attach_names

        appeals = list(super().__iter__())
        attach_names(appeals, using=self.queryset.db)
        return iter(appeals)


class AppealQuerySet(models.QuerySet):
    def as_rows(self, *, names: bool = True):
        """Only what a list row shows, its related names attached after the rows are read — or, with
        names=False, left for the caller to attach to several lists at once (rows.attach_names)."""
        rows = self.select_related(None).only(*ROW_OWN_FIELDS)
        if names:
            rows._iterable_class = RowIterable
        return rows

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def handling(self):
        return self.filter(status__in=HANDLING_STATUSES)

    def overdue(self, now):
        return self.handling().filter(handle_deadline__lt=now)

    def due_within(self, now, hours: int):
        from datetime import timedelta

        return self.handling().filter(handle_deadline__gte=now, handle_deadline__lt=now + timedelta(hours=hours))

    def within(self, code: str):
        return self.filter(place_code__startswith=code)


class Appeal(BaseModel):
    # --- who and where
    receipt_code = models.CharField(_("回执码"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("查询凭据散列"), max_length=64, editable=False)
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="appeals")
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    phone_cipher = models.TextField(_("电话（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(_("电话（查找散列）"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=24, blank=True, editable=False)
    # texts go to the phone only once it is proven: by a one-time code on the public page, or by the staff
    # member who registered the demand (issue 13.5)
    phone_verified_at = models.DateTimeField(_("电话验证时间"), null=True, blank=True, editable=False)
    # --- what
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.HELP)
    category = models.ForeignKey(Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="appeals")
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # --- acceptance
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    referral = models.CharField(_("转介去向"), max_length=200, blank=True)
    # --- 三定 dispatch
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任领导"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    handler_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    handler_unit = models.ForeignKey("accounts.PartnerUnit", verbose_name=_("承办单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="appeals")
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("派单人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("退单理由"), blank=True)
    # --- reply and follow-up
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome.choices, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    plan = models.TextField(_("解决计划"), blank=True)
    plan_date = models.DateField(_("计划解决日期"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    follow_up_by = models.CharField(_("回访方式"), max_length=10, choices=FollowUpBy.choices, blank=True)
    follow_up_note = models.TextField(_("回访记录"), blank=True)
    # --- linking
    matter = models.ForeignKey("self", verbose_name=_("同一事项"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="matter_members")
    recurrence_of = models.ForeignKey("self", verbose_name=_("复发自"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="recurrences")
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="merged")
    # --- timestamps and counters for the rates (aware, UTC in the database)
    submitted_at = models.DateTimeField(_("提交时间"))
    first_response_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    response_deadline = models.DateTimeField(_("响应时限"), null=True, blank=True)
    handle_deadline = models.DateTimeField(_("办理时限"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    is_overdue = models.BooleanField(_("超期"), default=False)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    supervision_count = models.PositiveSmallIntegerField(_("督办次数"), default=0)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        indexes = [
            # A place's demands of a period (the headline figures below the rollups: a grid's month) read
            # the date from the index instead of visiting every demand of the place (5,000 a grid at 2M).
            models.Index(fields=["place_code", "submitted_at"], name="appeals_place_submitted_idx",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
            models.Index(fields=["-submitted_at", "-id"], name="appeals_recent_idx"),
            models.Index(fields=["status", "handle_deadline"], name="appeals_status_deadline_idx"),
            models.Index(fields=["handler_user", "status", "handle_deadline"], name="appeals_handler_idx"),
            models.Index(fields=["handler_unit", "status", "handle_deadline"], name="appeals_unit_idx"),
            # LIKE 'street%' uses a b-tree only with pattern ops (non-C collations); status × category ×
            # place serves the filtered list and its count from the index alone (bench/, issue 9).
            models.Index(fields=["status", "place_code"], name="appeals_status_place_idx",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            models.Index(fields=["status", "category", "place_code"], name="appeals_status_cat_place_idx",
                         opclasses=["varchar_pattern_ops", "int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["category", "submitted_at"], name="appeals_category_idx"),
            models.Index(fields=["phone_hash", "closed_at"], name="appeals_phone_idx"),
            models.Index(fields=["closed_at"], name="appeals_closed_idx"),
            # 五个一: each leader's first solved demands of a period, read per leader (assessment/fiveones.py)
            models.Index(fields=["leader", "closed_at"], name="appeals_leader_solved_idx",
                         condition=Q(outcome="solved")),
            models.Index(fields=["handler_user", "closed_at"], name="appeals_handler_solved_idx",
                         condition=Q(outcome="solved")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="merged") | Q(merged_into__isnull=False),
                                   name="appeals_merged_has_target"),
        ]

    def __str__(self):
        return f"{self.receipt_code} {self.title}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def handler_label(self) -> str:
        return str(self.handler_unit or self.handler_user or "")

    def can(self, verb: str) -> bool:
        return APPEAL.can(self, verb)


class AppealEvent(models.Model):
    """One row per transition (and per supervision, link, overdue mark): the timeline of a demand."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(_("动作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("操作人名称"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("对居民可见"), default=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("诉求动态")
        verbose_name_plural = _("诉求动态")
        indexes = [models.Index(fields=["appeal", "at"], name="appeals_event_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

    @property
    def verb_label(self) -> str:
        return VERB_LABELS.get(self.verb, self.verb)

    @property
    def actor_text(self) -> str:
        """Who acted: a person's name as stored; the resident or the system in the page's language."""
        return str(ACTOR_WORDS.get(self.actor_label, self.actor_label))

    @property
    def note_text(self) -> str:
        """The note as a person reads it. A link stores "<kind> → <receipt code>" (linking.py); it reads
        "复发自 X" / "与 X 为同一事项" in the page's language, old rows included."""
        if self.verb == "link":
            kind, arrow, code = self.note.partition(" → ")
            if arrow and kind in LINK_NOTES:
                return LINK_NOTES[kind] % {"code": code}
        return self.note

    @property
    def audit_place_code(self) -> str:
        return self.appeal.place_code


def photo_path(instance, filename: str) -> str:
    return f"appeals/{instance.appeal.submitted_at:%Y/%m}/{instance.appeal.receipt_code}-{filename}"


class AppealPhoto(BaseModel):
    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    content_type = models.CharField(_("类型"), max_length=30)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        ordering = ["appeal", "id"]
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self):
        return self.image.name

    @property
    def audit_place_code(self) -> str:
        return self.appeal.place_code


class Supervision(BaseModel):
    """督办: who pressed whom about which demand, when, and the answer."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE,
                               related_name="supervisions")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT,
                                   related_name="+")
    pressed_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被督办人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    pressed_unit = models.ForeignKey("accounts.PartnerUnit", verbose_name=_("被督办单位"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    demand = models.TextField(_("督办要求"))
    answer = models.TextField(_("反馈"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        indexes = [models.Index(fields=["answered_at", "created_at"], name="appeals_supervision_idx")]

    def __str__(self):
        return f"{self.appeal.receipt_code} {self.demand[:30]}"

    @property
    def audit_place_code(self) -> str:
        return self.appeal.place_code
