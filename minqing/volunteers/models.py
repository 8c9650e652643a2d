"""Volunteer teams 服务队 and associations 协会, their activities, and residents' sign-ups.

Scope: every row carries `place_code` (the team's community, or a building under it for an activity
held there), so one prefix filter scopes it. A volunteer outside the ledger is known only by the
keyed hash of their phone (the phone itself is stored encrypted, shown masked): one sign-up per phone
per activity is a unique constraint, and a volunteer's record is the rows sharing that hash.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable

POINTS_PER_HOUR = 10  # 积分: ten points per hour served (the 保障、奖励 mechanism of seed 002)


class TeamKind(models.TextChoices):
    TEAM = "team", _("志愿服务队")
    ASSOCIATION = "association", _("协会")


class TeamCategory(models.TextChoices):
    CLEANING = "cleaning", _("清洁卫生保洁")
    PATROL = "patrol", _("夜间治安巡逻")
    CEREMONY = "ceremony", _("红白喜事服务")
    ELDER_CARE = "elder_care", _("助老服务")
    SPORT = "sport", _("文体（球类、自行车、钓鱼）")
    ARTS = "arts", _("文艺宣传")
    OTHER = "other", _("其他")


class Team(BaseModel):
    community = models.ForeignKey("places.Place", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=TeamKind.choices, default=TeamKind.TEAM)
    category = models.CharField(_("服务类别"), max_length=16, choices=TeamCategory.choices, default=TeamCategory.OTHER)
    name = models.CharField(_("名称"), max_length=100)
    charter = models.TextField(_("章程"), blank=True, help_text=_("宗旨、入会条件、活动制度、保障与奖励。"))
    leader = models.ForeignKey("residents.Resident", verbose_name=_("负责人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("活动中"), default=True)

    class Meta:
        ordering = ["place_code", "kind", "name"]
        verbose_name = _("服务队/协会")
        verbose_name_plural = _("服务队/协会")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="volunteers_team_unique_name")]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Membership(BaseModel):
    team = models.ForeignKey(Team, verbose_name=_("服务队/协会"), on_delete=models.CASCADE, related_name="memberships")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), on_delete=models.PROTECT,
                                 related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["team", "joined_on", "id"]
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [models.UniqueConstraint(fields=["team", "resident"], condition=models.Q(left_on=None),
                                               name="volunteers_member_once")]

    def __str__(self):
        return f"{self.team} · {self.resident}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    DONE = "done", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class ActivityVerb(models.TextChoices):
    FINISH = "finish", _("登记考勤")
    CANCEL = "cancel", _("取消活动")


ACTIVITY = TransitionTable(
    name="volunteers.activity", noun=_("活动"), states=ActivityStatus, verbs=ActivityVerb,
    moves={(ActivityStatus.OPEN, ActivityVerb.FINISH): ActivityStatus.DONE,
           (ActivityStatus.OPEN, ActivityVerb.CANCEL): ActivityStatus.CANCELLED},
)


class Activity(BaseModel):
    team = models.ForeignKey(Team, verbose_name=_("服务队/协会"), on_delete=models.PROTECT, related_name="activities")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False, db_index=True)
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动内容"), blank=True)
    location = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    places_needed = models.PositiveSmallIntegerField(_("招募人数"))
    status = models.CharField(_("状态"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.OPEN)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="volunteers_activity_ends_after_start"),
            models.CheckConstraint(condition=models.Q(places_needed__gte=1), name="volunteers_activity_places"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class SignUpStatus(models.TextChoices):
    SIGNED = "signed", _("已报名")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已参加")
    ABSENT = "absent", _("未到")


class SignUpVerb(models.TextChoices):
    CANCEL = "cancel", _("取消报名")
    RESIGN = "resign", _("重新报名")
    ATTEND = "attend", _("登记参加")
    ABSENT = "absent", _("登记未到")


ACTIVE_SIGNUPS = (SignUpStatus.SIGNED, SignUpStatus.ATTENDED, SignUpStatus.ABSENT)
SIGNUP = TransitionTable(
    name="volunteers.signup", noun=_("报名"), states=SignUpStatus, verbs=SignUpVerb,
    moves={(SignUpStatus.SIGNED, SignUpVerb.CANCEL): SignUpStatus.CANCELLED,
           (SignUpStatus.CANCELLED, SignUpVerb.RESIGN): SignUpStatus.SIGNED,
           (SignUpStatus.SIGNED, SignUpVerb.ATTEND): SignUpStatus.ATTENDED,
           (SignUpStatus.SIGNED, SignUpVerb.ABSENT): SignUpStatus.ABSENT},
)


class SignUp(BaseModel):
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    name = models.CharField(_("称呼"), max_length=20)
    phone_cipher = models.TextField(_("电话（密文）"), editable=False)
    phone_hash = models.CharField(_("电话（查找散列）"), max_length=64, editable=False, db_index=True)
    phone_masked = models.CharField(_("电话"), max_length=24, editable=False)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("台账居民"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    cancel_token_hash = models.CharField(_("取消链接（散列）"), max_length=64, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=SignUpStatus.choices, default=SignUpStatus.SIGNED)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1, default=0)
    points = models.PositiveIntegerField(_("积分"), default=0)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            # One sign-up per phone per activity, whatever the timing of two requests.
            models.UniqueConstraint(fields=["activity", "phone_hash"], name="volunteers_signup_once_per_phone"),
        ]
        indexes = [
            # the figures of a place (volunteer_figures, the ranking): attended sign-ups under a code prefix
            models.Index(fields=["status", "place_code"], name="volunteers_signup_status_place",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.activity} · {self.name}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code
