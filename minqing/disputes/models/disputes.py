"""A dispute 矛盾纠纷, its parties, 三定四包 and its state machine (as data: DISPUTE rejects by default)."""
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from minqing.core import crypto, masking
from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable
from minqing.core.userdata import data, with_data

# People's Mediation Law practice: a case is normally settled within 30 days of acceptance.
SETTLE_WITHIN_DAYS = 30


class Kind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    PROPERTY = "property", _("物业管理纠纷")
    LABOUR = "labour", _("劳动争议/欠薪")
    LAND = "land", _("土地征收与拆迁")
    RESTRUCTURING = "restructuring", _("企业改制遗留问题")
    CONTRACT = "contract", _("合同债务纠纷")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较大")
    MAJOR = "major", _("重大")


class EscalationSign(models.TextChoices):
    COLLECTIVE = "collective", _("集体行动苗头")
    OVER_LEVEL = "over_level", _("越级上访")
    ROAD_BLOCKING = "road_blocking", _("堵路堵门")
    WAGE_ARREARS = "wage_arrears", _("欠薪讨薪")
    BANNERS = "banners", _("拉横幅/聚集")
    EXTREME = "extreme", _("扬言极端行为")
    MEDIA = "media", _("网络炒作")


class Status(models.TextChoices):
    REPORTED = "reported", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("达成协议")
    PARTIAL = "partial", _("部分达成")
    FAILED = "failed", _("调解不成")
    REFERRED = "referred", _("已移交")
    CLOSED = "closed", _("已结案")
    REJECTED = "rejected", _("不予受理")


class Verb(models.TextChoices):
    ACCEPT = "accept", _("受理（三定）")
    REJECT = "reject", _("不予受理")
    MEDIATE = "mediate", _("调解")
    AGREE = "agree", _("达成协议")
    SETTLE_PARTLY = "settle_partly", _("部分达成")
    FAIL = "fail", _("调解不成")
    REFER = "refer", _("移交")
    FOLLOW_UP_HONOURED = "follow_up_honoured", _("回访：已履行")
    FOLLOW_UP_BREACHED = "follow_up_breached", _("回访：未履行，重新调解")
    CLOSE = "close", _("结案")


# (from, verb) → to. Anything not listed is refused. A partial agreement is recorded as an agreement,
# both follow-up outcomes as a follow-up (dispute.agree, dispute.follow_up).
DISPUTE = TransitionTable(
    name="dispute", noun=_("纠纷"), states=Status, verbs=Verb,
    moves={
        (Status.REPORTED, Verb.ACCEPT): Status.ACCEPTED,
        (Status.REPORTED, Verb.REJECT): Status.REJECTED,
        (Status.ACCEPTED, Verb.MEDIATE): Status.MEDIATING,
        (Status.MEDIATING, Verb.MEDIATE): Status.MEDIATING,
        (Status.PARTIAL, Verb.MEDIATE): Status.MEDIATING,
        (Status.MEDIATING, Verb.AGREE): Status.AGREED,
        (Status.MEDIATING, Verb.SETTLE_PARTLY): Status.PARTIAL,
        (Status.MEDIATING, Verb.FAIL): Status.FAILED,
        (Status.FAILED, Verb.REFER): Status.REFERRED,
        (Status.PARTIAL, Verb.REFER): Status.REFERRED,
        (Status.AGREED, Verb.FOLLOW_UP_HONOURED): Status.CLOSED,
        (Status.AGREED, Verb.FOLLOW_UP_BREACHED): Status.MEDIATING,
        (Status.PARTIAL, Verb.CLOSE): Status.CLOSED,
        (Status.REFERRED, Verb.CLOSE): Status.CLOSED,
    },
    recorded_as={Verb.SETTLE_PARTLY: Verb.AGREE, Verb.FOLLOW_UP_HONOURED: "follow_up",
                 Verb.FOLLOW_UP_BREACHED: "follow_up"},
)
OPEN_STATUSES = (Status.REPORTED, Status.ACCEPTED, Status.MEDIATING, Status.PARTIAL, Status.FAILED)
SETTLED_STATUSES = (Status.AGREED, Status.CLOSED)


class DisputeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)


class Dispute(BaseModel):
    title = models.CharField(_("纠纷名称"), max_length=120)
    kind = models.CharField(_("纠纷类型"), max_length=16, choices=Kind.choices)
    place = models.ForeignKey("places.Place", verbose_name=_("发生地"), on_delete=models.PROTECT,
                              related_name="disputes")
    location = models.CharField(_("具体地点"), max_length=200, blank=True)
    description = models.TextField(_("纠纷简要情况"))
    people_involved = models.PositiveIntegerField(_("涉及人数"), default=2)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.GENERAL)
    risk_reasons = models.TextField(_("风险等级理由"), blank=True)
    escalation_signs = models.JSONField(_("激化苗头"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED,
                              db_index=True)
    screening_round = models.ForeignKey("disputes.ScreeningRound", verbose_name=_("排查记录"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="disputes")
    # 三定: 定领导, 定人员, 定时限 — set on acceptance.
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任领导"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人员"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("化解时限"), null=True, blank=True, db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("化解时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    reopen_count = models.PositiveIntegerField(_("重新调解次数"), default=0)
    source_appeal_id = models.BigIntegerField(_("来源诉求"), null=True, blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        year = (self.created_at or timezone.now()).year
        return f"JF{year}{self.pk or 0:06d}"

    @property
    def audit_place_code(self) -> str:
        return self.place.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def escalation_sign_labels(self) -> list[str]:
        labels = dict(EscalationSign.choices)
        return [str(labels.get(sign, sign)) for sign in self.escalation_signs]

    @property
    def settled_within_a_month(self) -> bool | None:
        if not self.settled_at or not self.accepted_at:
            return None
        return (self.settled_at - self.accepted_at).days <= SETTLE_WITHIN_DAYS

    def can(self, verb: str) -> bool:
        return DISPUTE.can(self, verb)


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class DisputeParty(BaseModel):
    """A party: a resident from the ledger (name and address copied at the time) or an outside party."""

    class PartyKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("单位")

    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("当事人类别"), max_length=12, choices=PartySide.choices)
    party_kind = models.CharField(_("主体"), max_length=14, choices=PartyKind.choices, default=PartyKind.PERSON)
    resident = models.ForeignKey("residents.Resident", verbose_name=_("台账居民"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dispute_parties")
    name = models.CharField(_("姓名/名称"), max_length=100)
    sex = models.CharField(_("性别"), max_length=4, blank=True)
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    address = models.CharField(_("住址/单位地址"), max_length=200, blank=True)
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)

    class Meta:
        ordering = ["dispute", "side", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self):
        return f"{self.get_side_display()} {self.name}"

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code

    @property
    def phone_masked(self) -> str:
        return masking.mask_phone(crypto.decrypt(self.phone_encrypted)) if self.phone_encrypted else ""

    @property
    def is_from_ledger(self) -> bool:
        return self.resident_id is not None

    @property
    def basic_facts(self) -> str:
        """The party's basic information as an agreement states it."""
        bits = [self.name]
        if self.party_kind == self.PartyKind.ORGANISATION:
            bits.append(str(_("法定代表人/负责人：%(r)s") % {"r": self.representative or "—"}))
        else:
            if self.sex:
                bits.append(self.sex)
            if self.age:
                bits.append(str(_("%(n)d岁") % {"n": self.age}))
        if self.address:
            bits.append(str(_("住址：%(a)s") % {"a": self.address}))
        return "，".join(bits)

    @property
    def basic_facts_shown(self) -> SafeString:
        """basic_facts for the page: the reader's language around the party's data (marked)."""
        bits = [data(self.name)]
        if self.party_kind == self.PartyKind.ORGANISATION:
            bits.append(with_data(_("法定代表人/负责人：%(r)s"), r=self.representative or "—"))
        else:
            if self.sex:
                bits.append(conditional_escape(_(self.sex)))  # "男"/"女": the form's choices, in the catalogue
            if self.age:
                bits.append(conditional_escape(_("%(n)d岁") % {"n": self.age}))
        if self.address:
            bits.append(with_data(_("住址：%(a)s"), a=self.address))
        return mark_safe(conditional_escape(_("，")).join(bits))


class Responsibility(BaseModel):
    """四包: one of the four responsibilities of a dispute, with its owner and state."""

    class Kind(models.TextChoices):
        STUDY = "study", _("包研究")
        COORDINATE = "coordinate", _("包协调处理")
        SUPERVISE = "supervise", _("包督办落实")
        STABILISE = "stabilise", _("包教育稳控")

    class State(models.TextChoices):
        PENDING = "pending", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已落实")

    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE,
                                related_name="responsibilities")
    kind = models.CharField(_("责任"), max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                              related_name="+")
    state = models.CharField(_("落实情况"), max_length=12, choices=State.choices, default=State.PENDING)
    note = models.TextField(_("进展说明"), blank=True)

    class Meta:
        ordering = ["dispute", "kind"]
        verbose_name = _("四包责任")
        verbose_name_plural = _("四包责任")
        constraints = [models.UniqueConstraint(fields=["dispute", "kind"], name="disputes_one_owner_per_duty")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.owner}"

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code


class MediatorRecusal(BaseModel):
    """A mediator withdrawn from a dispute (a party asked, or a conflict of interest): never mediates it again."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="recusals")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调解员"), on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.TextField(_("回避理由"))

    class Meta:
        ordering = ["dispute", "-created_at"]
        verbose_name = _("调解员回避")
        verbose_name_plural = _("调解员回避")
        constraints = [models.UniqueConstraint(fields=["dispute", "mediator"], name="disputes_one_recusal")]

    def __str__(self):
        return f"{self.mediator} {_('回避')}"

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code


class MediationSession(BaseModel):
    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    venue = models.CharField(_("调解地点"), max_length=120, blank=True)
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调解员"), on_delete=models.PROTECT,
                                 related_name="+")
    participants = models.TextField(_("参加人员"))
    notes = models.TextField(_("调解记录"))

    class Meta:
        ordering = ["dispute", "held_at"]
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")

    def __str__(self):
        return f"{self.held_at:%Y-%m-%d} {self.mediator}"

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code


class Referral(BaseModel):
    """Where a dispute mediation could not settle was sent: court, arbitration, petition office."""

    class Destination(models.TextChoices):
        COURT = "court", _("人民法院（诉讼/司法确认）")
        ARBITRATION = "arbitration", _("劳动人事争议仲裁委员会")
        PETITION = "petition", _("信访部门")
        DEPARTMENT = "department", _("职能部门")

    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="referrals")
    destination = models.CharField(_("移交去向"), max_length=12, choices=Destination.choices)
    receiving_body = models.CharField(_("接收单位"), max_length=120)
    reference = models.CharField(_("接收文号/案号"), max_length=60, blank=True)
    note = models.TextField(_("移交说明"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("移交人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["dispute", "-created_at"]
        verbose_name = _("移交记录")
        verbose_name_plural = _("移交记录")

    def __str__(self):
        return f"{self.get_destination_display()} {self.receiving_body}"

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code
