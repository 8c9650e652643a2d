"""Meetings 会议 where residents speak, the opinions 意见 raised there, and leaders' reception days 接访日.

Every opinion ends either answered on the spot or as a demand 诉求 (through the demands app's own
service); the next meeting of the same series 会议届次 reports back what became of each
("上次会议意见办理情况", seed 001: "下次居民群众会议上通报办理结果"), and an opinion whose demand is
still open is carried forward to every following meeting until it is closed.

Scope: every row carries `place_code` (the meeting's or reception's place), one prefix scan.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable


class MeetingKind(models.TextChoices):
    RESIDENTS = "residents", _("居民会议")
    REPRESENTATIVES = "representatives", _("居民代表会议")
    FORUM = "forum", _("民情恳谈会")
    PARTNERS = "partners", _("协办单位座谈会")
    PARTY_REPS = "party_reps", _("党员代表联系会议")


# Kinds that need more than half of those invited present to take decisions (居民代表会议).
QUORUM_KINDS = frozenset({MeetingKind.REPRESENTATIVES})


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已召集")
    HELD = "held", _("已召开")
    APPROVED = "approved", _("纪要已审定")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class MeetingVerb(models.TextChoices):
    HOLD = "hold", _("召开")
    APPROVE = "approve", _("审定纪要")
    CLOSE = "close", _("结束")
    CANCEL = "cancel", _("取消")


M, V = MeetingStatus, MeetingVerb
MEETING = TransitionTable(
    name="meeting", noun=_("会议"), states=MeetingStatus, verbs=MeetingVerb,
    moves={
        (M.PLANNED, V.HOLD): M.HELD,
        (M.PLANNED, V.CANCEL): M.CANCELLED,
        (M.HELD, V.APPROVE): M.APPROVED,
        (M.APPROVED, V.CLOSE): M.CLOSED,
    },
)
HELD_STATUSES = (M.HELD, M.APPROVED, M.CLOSED)


class MeetingSeries(BaseModel):
    """A recurring body 会议届次/系列, e.g. 渝阳社区居民代表会议: its meetings report back to each other."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)

    class Meta:
        ordering = ["place_code", "name"]
        verbose_name = _("会议系列")
        verbose_name_plural = _("会议系列")
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="meetings_series_name_per_place")]
        indexes = [models.Index(fields=["place_code"], name="meetings_series_place_idx",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Meeting(BaseModel):
    series = models.ForeignKey(MeetingSeries, verbose_name=_("会议系列"), on_delete=models.PROTECT,
                               related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices, editable=False)
    place = models.ForeignKey("places.Place", verbose_name=_("地点"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    title = models.CharField(_("会议名称"), max_length=150)
    starts_at = models.DateTimeField(_("会议时间"), db_index=True)
    location = models.CharField(_("会场"), max_length=150)
    agenda = models.TextField(_("议题"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    attendance_count = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    held_at = models.DateTimeField(_("召开登记时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    call_notice = models.ForeignKey("disclosure.Notice", verbose_name=_("会议通知公开"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decisions_notice = models.ForeignKey("disclosure.Notice", verbose_name=_("决定公开"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("召集人"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        indexes = [
            models.Index(fields=["place_code"], name="meetings_meeting_place_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["series", "starts_at"], name="meetings_meeting_series_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def has_quorum_rule(self) -> bool:
        return self.kind in QUORUM_KINDS

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES


class Invitee(models.Model):
    """One person or unit invited: a resident from the ledger, a partner unit, or a staff member."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="invitees")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    partner_unit = models.ForeignKey("accounts.PartnerUnit", verbose_name=_("协办单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("出席"), default=False)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        constraints = [
            models.CheckConstraint(name="meetings_invitee_exactly_one", condition=(
                Q(resident__isnull=False, partner_unit__isnull=True, user__isnull=True)
                | Q(resident__isnull=True, partner_unit__isnull=False, user__isnull=True)
                | Q(resident__isnull=True, partner_unit__isnull=True, user__isnull=False))),
            models.UniqueConstraint(fields=["meeting", "resident"], name="meetings_invitee_resident_once"),
            models.UniqueConstraint(fields=["meeting", "partner_unit"], name="meetings_invitee_unit_once"),
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_invitee_user_once"),
        ]

    def __str__(self):
        return str(self.resident or self.partner_unit or self.user)

    @property
    def group(self) -> str:
        if self.resident_id:
            return str(_("居民"))
        return str(_("协办单位")) if self.partner_unit_id else str(_("工作人员"))


class Decision(BaseModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("决定事项"))
    votes_for = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    is_public = models.BooleanField(_("居务公开"), default=False)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")

    def __str__(self):
        return self.text[:40]

    @property
    def audit_place_code(self) -> str:
        return self.meeting.place_code

    @property
    def voted(self) -> bool:
        return self.votes_for is not None


class ReceptionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排班")
    HELD = "held", _("已接访")
    CANCELLED = "cancelled", _("已取消")


class ReceptionDay(BaseModel):
    """A leader's scheduled reception day 领导干部定期接访 (seed 004) and, once held, its record."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接访领导"), on_delete=models.PROTECT,
                               related_name="reception_days")
    place = models.ForeignKey("places.Place", verbose_name=_("社区/街道"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    day = models.DateField(_("接访日期"), db_index=True)
    hours = models.CharField(_("时段"), max_length=40, default="9:00-11:30")
    location = models.CharField(_("接访地点"), max_length=150)
    status = models.CharField(_("状态"), max_length=16, choices=ReceptionStatus.choices,
                              default=ReceptionStatus.SCHEDULED)
    visitors_count = models.PositiveIntegerField(_("来访人次"), default=0)
    summary = models.TextField(_("接访情况"), blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("接访日")
        verbose_name_plural = _("接访日")
        indexes = [models.Index(fields=["place_code"], name="meetings_reception_place_idx",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.day} {self.leader}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class OpinionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("当场答复")
    DEMAND = "demand", _("已转诉求")


class Opinion(BaseModel):
    """What someone said at a meeting or a reception, and how it was taken up."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="opinions")
    reception = models.ForeignKey(ReceptionDay, verbose_name=_("接访日"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="opinions")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("提出人（居民）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    speaker = models.CharField(_("提出人"), max_length=60, blank=True,
                               help_text=_("不在居民台账中的提出人，如：协办单位代表、外来务工人员"))
    text = models.TextField(_("意见内容"))
    status = models.CharField(_("状态"), max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.OPEN)
    answer = models.TextField(_("当场答复"), blank=True)
    appeal = models.ForeignKey("appeals.Appeal", verbose_name=_("诉求"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="opinions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        indexes = [models.Index(fields=["place_code"], name="meetings_opinion_place_idx",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(name="meetings_opinion_meeting_or_reception", condition=(
                Q(meeting__isnull=False, reception__isnull=True) | Q(meeting__isnull=True, reception__isnull=False))),
            models.CheckConstraint(name="meetings_opinion_demand_has_appeal", condition=(
                ~Q(status="demand") | Q(appeal__isnull=False))),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def raised_by(self) -> str:
        return str(self.resident) if self.resident_id else self.speaker


class ReportBack(models.Model):
    """What a meeting was told about an earlier opinion, frozen when the meeting is held: the list
    "上次会议意见办理情况" in its minutes stays what was read out, while later meetings read on."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("通报会议"), on_delete=models.CASCADE,
                                related_name="report_backs")
    opinion = models.ForeignKey(Opinion, verbose_name=_("意见"), on_delete=models.CASCADE, related_name="report_backs")
    state = models.CharField(_("办理情况"), max_length=40)
    reply = models.TextField(_("答复"), blank=True)
    is_closed = models.BooleanField(_("已办结"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "opinion_id"]
        verbose_name = _("意见办理情况通报")
        verbose_name_plural = _("意见办理情况通报")
        constraints = [models.UniqueConstraint(fields=["meeting", "opinion"], name="meetings_report_once")]

    def __str__(self):
        return f"{self.meeting} · {self.opinion}"
