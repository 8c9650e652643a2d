"""Party building 党建: organisations, members, organisation life, model posts, service and appraisal.

Scope: every row carries `place_code`, the code of the place its organisation is attached to (a branch
on its section 地段 — seed 003 "支部建在地段上"), copied by the services. A branch secretary granted a
section sees that branch; a community secretary the community's organisations. Members link to the
ledger's residents (names and personal data are read from there, masked, never copied).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


# Which kind may sit under which: the four levels of seed 003.
PARENT_KINDS = {
    OrgKind.COMMITTEE: (None, OrgKind.COMMITTEE),
    OrgKind.GENERAL_BRANCH: (OrgKind.COMMITTEE,),
    OrgKind.BRANCH: (None, OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.GROUP: (OrgKind.BRANCH,),
}


class PartyOrg(BaseModel):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("层级"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级组织"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    place = models.ForeignKey("places.Place", verbose_name=_("所在地点"), on_delete=models.PROTECT, related_name="+")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    secretary = models.ForeignKey("PartyMember", verbose_name=_("书记（组长）"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    committee = models.ManyToManyField("PartyMember", verbose_name=_("委员"), blank=True, related_name="+")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        ordering = ["place_code", "kind", "name"]
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["place_code"], name="party_org_place_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Category(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class WorkStatus(models.TextChoices):
    WORKING = "working", _("在职")
    RETIRED = "retired", _("离退休")
    NONE = "none", _("无职业")
    FLOATING = "floating", _("流动（外出务工经商）")


class Relation(models.TextChoices):
    """Where the member's organisation relation 组织关系 is."""

    HERE = "here", _("关系在本支部")
    ELSEWHERE = "elsewhere", _("流动党员（关系在外）")
    OUT = "out", _("已转出")


class MemberVerb(models.TextChoices):
    TRANSFER_OUT = "transfer_out", _("转出组织关系")
    TRANSFER_IN = "transfer_in", _("转入组织关系")
    LEAVE = "leave", _("注销流动登记")
    RETURN = "return", _("重新登记为流动党员")


MEMBER_RELATION = TransitionTable(
    name="party.member", noun=_("党员"), states=Relation, verbs=MemberVerb, state_field="relation",
    moves={
        (Relation.HERE, MemberVerb.TRANSFER_OUT): Relation.OUT,
        (Relation.ELSEWHERE, MemberVerb.TRANSFER_IN): Relation.HERE,
        (Relation.ELSEWHERE, MemberVerb.LEAVE): Relation.OUT,
        (Relation.OUT, MemberVerb.TRANSFER_IN): Relation.HERE,
        (Relation.OUT, MemberVerb.RETURN): Relation.ELSEWHERE,
    },
)


class PartyMember(BaseModel):
    """One resident's membership here: one row per resident, so two active branches at once cannot be."""

    resident = models.OneToOneField("residents.Resident", verbose_name=_("居民"), on_delete=models.PROTECT,
                                    related_name="party_membership")
    org = models.ForeignKey(PartyOrg, verbose_name=_("所在支部"), on_delete=models.PROTECT, related_name="members")
    group = models.ForeignKey(PartyOrg, verbose_name=_("党小组"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="group_members")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    category = models.CharField(_("党员类别"), max_length=16, choices=Category.choices, default=Category.FULL)
    work_status = models.CharField(_("在职情况"), max_length=16, choices=WorkStatus.choices, default=WorkStatus.WORKING)
    relation = models.CharField(_("组织关系"), max_length=16, choices=Relation.choices, default=Relation.HERE)
    joined_on = models.DateField(_("入党日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    relation_elsewhere = models.CharField(_("组织关系所在"), max_length=200, blank=True,
                                          help_text=_("流动党员：组织关系所在的党组织。"))
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    dual_registered_on = models.DateField(_("双报到日期"), null=True, blank=True,
                                          help_text=_("在职党员到居住地社区报到的日期。"))
    dual_service = models.CharField(_("认领服务岗位"), max_length=100, blank=True)

    class Meta:
        ordering = ["place_code", "org_id", "joined_on", "id"]
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        indexes = [models.Index(fields=["place_code"], name="party_member_place_idx",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [models.CheckConstraint(condition=Q(full_on__isnull=True) | Q(full_on__gte=models.F("joined_on")),
                                              name="party_member_full_after_joining")]

    def __str__(self):
        return self.resident.name

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    @property
    def is_active(self) -> bool:
        return self.relation != Relation.OUT


class TransferKind(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")
    REGISTER = "register", _("登记（流动党员）")
    LEAVE = "leave", _("注销流动登记")


class Transfer(BaseModel):
    """One move of the member's relation (or floating registration), with its date, from and to."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("类型"), max_length=16, choices=TransferKind.choices)
    date = models.DateField(_("日期"))
    from_text = models.CharField(_("转出单位"), max_length=200, blank=True)
    to_text = models.CharField(_("转入单位"), max_length=200, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class EdgeOutcome(models.TextChoices):
    REGISTERED = "registered", _("已登记为流动党员")
    TRANSFERRED = "transferred", _("已转入组织关系")
    DECLINED = "declined", _("暂不愿登记")
    NOT_MEMBER = "not_member", _("经核实非党员")
    UNREACHABLE = "unreachable", _("未联系上")


class EdgeContact(BaseModel):
    """The branch went to an edge member 边缘党员 (seed 002): when, and what came of it."""

    resident = models.ForeignKey("residents.Resident", verbose_name=_("居民"), on_delete=models.CASCADE,
                                 related_name="party_edge_contacts")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    contacted_on = models.DateField(_("联系日期"))
    outcome = models.CharField(_("结果"), max_length=16, choices=EdgeOutcome.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    contacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("联系人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = _("边缘党员联系记录")
        verbose_name_plural = _("边缘党员联系记录")

    def __str__(self):
        return f"{self.contacted_on} {self.get_outcome_display()}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class SessionKind(models.TextChoices):
    """三会一课: members' meeting, committee meeting, group meeting, and the party lesson."""

    MEMBERS_MEETING = "members_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    LESSON = "lesson", _("党课")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    HELD = "held", _("已召开")
    CLOSED = "closed", _("已记录纪要")
    CANCELLED = "cancelled", _("已取消")


class SessionVerb(models.TextChoices):
    HOLD = "hold", _("登记召开与出席")
    RECORD_MINUTES = "record_minutes", _("记录纪要")
    CANCEL = "cancel", _("取消")


SESSION = TransitionTable(
    name="party.session", noun=_("组织生活"), states=SessionStatus, verbs=SessionVerb,
    moves={
        (SessionStatus.PLANNED, SessionVerb.HOLD): SessionStatus.HELD,
        (SessionStatus.PLANNED, SessionVerb.CANCEL): SessionStatus.CANCELLED,
        (SessionStatus.HELD, SessionVerb.RECORD_MINUTES): SessionStatus.CLOSED,
    },
)


class OrgSession(BaseModel):
    """One session of organisation life 组织生活 of a branch (or one of its groups)."""

    org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="sessions")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    kind = models.CharField(_("类型"), max_length=24, choices=SessionKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    planned_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    venue = models.CharField(_("地点"), max_length=100, blank=True)
    # Who gives a party lesson 党课: a leader's lesson is one of their 五个一 (seed 004).
    lecturer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("主讲人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(_("会议纪要"), blank=True)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")
        indexes = [models.Index(fields=["place_code"], name="party_session_place_idx",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.planned_on:%Y-%m} {self.get_kind_display()} {self.topic}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Presence(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(BaseModel):
    session = models.ForeignKey(OrgSession, verbose_name=_("组织生活"), on_delete=models.CASCADE,
                                related_name="attendance")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("出席情况"), max_length=16, choices=Presence.choices)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "member"]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="party_one_attendance_per_member")]

    def __str__(self):
        return f"{self.member_id} {self.get_presence_display()}"


class ModelPost(BaseModel):
    """党员示范岗 (seed 000): a member takes a post of service in the community."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="posts")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    title = models.CharField(_("示范岗"), max_length=100)
    duty = models.CharField(_("承诺内容"), max_length=300, blank=True)
    start_date = models.DateField(_("设岗日期"))
    end_date = models.DateField(_("撤岗日期"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class ServiceRecord(BaseModel):
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="services")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    what = models.CharField(_("服务内容"), max_length=200)

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("党员服务记录")
        verbose_name_plural = _("党员服务记录")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="party_service_hours_positive")]

    def __str__(self):
        return f"{self.served_on} {self.what}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class RoundStatus(models.TextChoices):
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已结束")


APPRAISAL_ROUND = TransitionTable(
    name="party.appraisal", noun=_("民主评议"), states=RoundStatus, verbs={"close": _("结束评议")},
    moves={(RoundStatus.OPEN, "close"): RoundStatus.CLOSED},
)


class AppraisalRound(BaseModel):
    """The yearly 民主评议 of a branch's members by residents' representatives (seed 001)."""

    org = models.ForeignKey(PartyOrg, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="appraisals")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)

    class Meta:
        ordering = ["-year", "org_id"]
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="party_one_appraisal_per_year")]

    def __str__(self):
        return f"{self.year} {self.org}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class AppraisalVote(BaseModel):
    """One representative's rating of one member, from one (anonymous, numbered) ballot."""

    round = models.ForeignKey(AppraisalRound, verbose_name=_("民主评议"), on_delete=models.CASCADE,
                              related_name="votes")
    ballot_no = models.PositiveIntegerField(_("评议票编号"))
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices)
    comment = models.CharField(_("意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "ballot_no", "member"]
        verbose_name = _("评议票")
        verbose_name_plural = _("评议票")
        constraints = [models.UniqueConstraint(fields=["round", "ballot_no", "member"], name="party_one_vote_per_ballot")]

    def __str__(self):
        return f"{self.ballot_no} {self.get_rating_display()}"
