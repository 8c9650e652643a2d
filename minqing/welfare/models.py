"""Welfare review 救助审核: programmes with eligibility rules, applications through verification,
appraisal and public notice to a decision, disbursements, re-reviews — and the staff-relative
declarations that keep reviewers off their own families' files (seed 001 "严禁有徇私舞弊").

The application's life is a table (APPLICATION) that rejects by default:

    received ─verify→ appraisal ─appraise→ notice ─close_notice→ sent_up ─approve→ approved ─stop→ stopped
        │               │  (2/3 rules)       │ (objections answered)      └reject→ rejected
        │               └appraise (not passed)→ rejected
        │                                    └answer_objection (upheld)→ received  (re-investigated)
        └ reject / withdraw from any open state
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel
from minqing.core.transitions import TransitionTable

# --- programmes and rules ------------------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    DIBAO = "dibao", _("最低生活保障（低保）")
    TEMPORARY = "temporary", _("临时救助")
    MEDICAL = "medical", _("医疗救助")
    SCHOOL = "school", _("助学救助")
    FESTIVAL = "festival", _("节日慰问金")
    OTHER = "other", _("其他")


class AmountMode(models.TextChoices):
    FIXED = "fixed", _("每户定额")
    PER_PERSON = "per_person", _("按人定额")
    GAP = "gap", _("补差（保障标准－人均收入）×人数")


class Programme(BaseModel):
    place = models.ForeignKey("places.Place", verbose_name=_("适用范围"), on_delete=models.PROTECT,
                              related_name="+", help_text=_("在此区域及下级的户可申请。"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=ProgrammeKind.choices)
    description = models.TextField(_("说明"), blank=True)
    amount_mode = models.CharField(_("金额方式"), max_length=16, choices=AmountMode.choices, default=AmountMode.FIXED)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, default=0,
                                 help_text=_("定额或按人金额；补差方式下为每人每月最高额，0 为不设上限。"))
    income_threshold = models.DecimalField(_("保障标准（人均月收入，元）"), max_digits=10, decimal_places=2,
                                           null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(_("享受期（月）"), null=True, blank=True,
                                                     help_text=_("一次性救助留空。"))
    review_interval_months = models.PositiveSmallIntegerField(_("复核周期（月）"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    requires_appraisal = models.BooleanField(_("需民主评议"), default=True)
    requires_notice = models.BooleanField(_("需公示"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("救助项目")
        verbose_name_plural = _("救助项目")
        constraints = [models.CheckConstraint(condition=models.Q(notice_days__gte=1), name="welfare_notice_days_min")]

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return self.place.code


class RuleKind(models.TextChoices):
    MAX_INCOME_PER_CAPITA = "max_income_per_capita", _("人均月收入不高于")
    MIN_HOUSEHOLD_SIZE = "min_household_size", _("家庭人口不少于")
    MAX_HOUSEHOLD_SIZE = "max_household_size", _("家庭人口不多于")
    REQUIRES_TAG = "requires_tag", _("家庭成员须有标签")
    EXCLUDES_TAG = "excludes_tag", _("家庭成员不得有标签")


class EligibilityRule(BaseModel):
    programme = models.ForeignKey(Programme, verbose_name=_("救助项目"), on_delete=models.CASCADE,
                                  related_name="rules")
    kind = models.CharField(_("条件"), max_length=32, choices=RuleKind.choices)
    value = models.DecimalField(_("数值"), max_digits=10, decimal_places=2, null=True, blank=True)
    tag = models.ForeignKey("residents.CareTag", verbose_name=_("标签"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("申请条件")
        verbose_name_plural = _("申请条件")
        constraints = [models.CheckConstraint(
            condition=(models.Q(kind__in=["requires_tag", "excludes_tag"], tag__isnull=False)
                       | (~models.Q(kind__in=["requires_tag", "excludes_tag"]) & models.Q(value__isnull=False))),
            name="welfare_rule_has_operand")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tag or self.value}"

    @property
    def audit_place_code(self) -> str:
        return self.programme.place.code


# --- the application and its state machine ------------------------------------------------------


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理，待入户核查")
    APPRAISAL = "appraisal", _("已核查，待民主评议")
    NOTICE = "notice", _("公示中")
    SENT_UP = "sent_up", _("已上报，待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    STOPPED = "stopped", _("已停发")
    WITHDRAWN = "withdrawn", _("已撤回")


class Verb(models.TextChoices):
    VERIFY = "verify", _("入户核查")
    VERIFY_SEND_UP = "verify_send_up", _("入户核查")
    APPRAISE = "appraise", _("民主评议")
    APPRAISE_SEND_UP = "appraise_send_up", _("民主评议")
    APPRAISE_FAIL = "appraise_fail", _("民主评议")
    ANSWER_OBJECTION = "answer_objection", _("答复异议")
    DISMISS_OBJECTION = "dismiss_objection", _("答复异议")
    CLOSE_NOTICE = "close_notice", _("结束公示并上报")
    APPROVE = "approve", _("审批通过")
    REJECT = "reject", _("不予批准")
    WITHDRAW = "withdraw", _("撤回申请")
    DISBURSE = "disburse", _("登记发放")
    REREVIEW = "rereview", _("复核")
    REREVIEW_STOP = "rereview_stop", _("复核")


S = Status
V = Verb
# (state, verb) → state. Anything not listed is refused. A verb whose outcome depends on a decision is
# one verb per outcome: a home verification that recommends a programme with appraisal goes to appraisal
# (verify), otherwise straight up (verify_send_up); an appraisal passes to the notice (appraise), passes
# without one (appraise_send_up) or fails (appraise_fail); an upheld objection sends the file back to
# verification (answer_objection), a dismissed one leaves the notice running (dismiss_objection); a
# re-review continues (rereview) or stops (rereview_stop) the entitlement. Each is recorded under the
# decision's name (welfare.application.verify, …).
APPLICATION = TransitionTable(
    name="welfare.application", noun=_("申请"), states=Status, verbs=Verb,
    moves={
        (S.RECEIVED, V.VERIFY): S.APPRAISAL,
        (S.RECEIVED, V.VERIFY_SEND_UP): S.SENT_UP,
        (S.APPRAISAL, V.APPRAISE): S.NOTICE,
        (S.APPRAISAL, V.APPRAISE_SEND_UP): S.SENT_UP,
        (S.APPRAISAL, V.APPRAISE_FAIL): S.REJECTED,
        (S.NOTICE, V.ANSWER_OBJECTION): S.RECEIVED,
        (S.NOTICE, V.DISMISS_OBJECTION): S.NOTICE,
        (S.NOTICE, V.CLOSE_NOTICE): S.SENT_UP,
        (S.SENT_UP, V.APPROVE): S.APPROVED,
        (S.RECEIVED, V.REJECT): S.REJECTED,
        (S.APPRAISAL, V.REJECT): S.REJECTED,
        (S.SENT_UP, V.REJECT): S.REJECTED,
        (S.RECEIVED, V.WITHDRAW): S.WITHDRAWN,
        (S.APPRAISAL, V.WITHDRAW): S.WITHDRAWN,
        (S.NOTICE, V.WITHDRAW): S.WITHDRAWN,
        (S.SENT_UP, V.WITHDRAW): S.WITHDRAWN,
        (S.APPROVED, V.DISBURSE): S.APPROVED,
        (S.APPROVED, V.REREVIEW): S.APPROVED,
        (S.APPROVED, V.REREVIEW_STOP): S.STOPPED,
    },
    recorded_as={V.VERIFY_SEND_UP: V.VERIFY, V.APPRAISE_SEND_UP: V.APPRAISE, V.APPRAISE_FAIL: V.APPRAISE,
                 V.DISMISS_OBJECTION: V.ANSWER_OBJECTION, V.REREVIEW_STOP: V.REREVIEW},
)
OPEN_STATES = frozenset({S.RECEIVED, S.APPRAISAL, S.NOTICE, S.SENT_UP})
DECIDED_STATES = frozenset({S.APPROVED, S.REJECTED, S.STOPPED})


def allowed_verbs(status: str) -> list[str]:
    """The forms the file's page offers: one per decision (verify, appraise, …), not per outcome."""
    return list(dict.fromkeys(APPLICATION.recorded_verb(verb) for verb in APPLICATION.verbs_from(status)))


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def decided(self):
        return self.exclude(decided_at__isnull=True)

    def flagged(self):
        return self.filter(flagged_relative=True)

    def review_due(self, on):
        return self.filter(status=S.APPROVED, next_review_due__lte=on)


class Application(BaseModel):
    programme = models.ForeignKey(Programme, verbose_name=_("救助项目"), on_delete=models.PROTECT,
                                  related_name="applications")
    household = models.ForeignKey("residents.Household", verbose_name=_("申请家庭"), on_delete=models.PROTECT,
                                  related_name="welfare_applications")
    applicant = models.ForeignKey("residents.Resident", verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="welfare_applications")
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    reason = models.TextField(_("申请理由"))
    declared_income = models.DecimalField(_("申报家庭月收入（元）"), max_digits=10, decimal_places=2)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    eligibility = models.JSONField(_("条件审查结果"), default=dict, blank=True)
    proposed_amount = models.DecimalField(_("测算金额（元/月或一次）"), max_digits=10, decimal_places=2,
                                          null=True, blank=True)
    approved_amount = models.DecimalField(_("核定金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)

    received_at = models.DateTimeField(_("受理时间"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT,
                                    related_name="+")
    verification_due = models.DateField(_("核查时限"))
    verified_at = models.DateTimeField(_("核查完成时间"), null=True, blank=True)
    notice = models.ForeignKey("disclosure.Notice", verbose_name=_("公示"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    send_up_due = models.DateTimeField(_("上报时限"), null=True, blank=True)
    sent_up_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    rejection_reason = models.TextField(_("不予批准理由"), blank=True)
    entitlement_start = models.DateField(_("享受起始"), null=True, blank=True)
    entitlement_end = models.DateField(_("享受截止"), null=True, blank=True)
    next_review_due = models.DateField(_("下次复核"), null=True, blank=True)
    flagged_relative = models.BooleanField(_("工作人员亲属申请"), default=False,
                                           help_text=_("申请家庭为工作人员本户或其申报的亲属，已提示督查。"))
    flag_note = models.CharField(_("提示说明"), max_length=300, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        indexes = [models.Index(fields=["place_code"], name="welfare_app_place_idx", opclasses=["varchar_pattern_ops"]),
                   models.Index(fields=["status", "programme"], name="welfare_app_status_idx")]

    def __str__(self):
        return f"{self.reference} {self.programme.name}"

    @property
    def reference(self) -> str:
        return f"JZ{self.received_at:%Y}-{self.pk:05d}" if self.pk and self.received_at else ""

    @property
    def eligibility_results(self) -> list[dict]:
        """The stored rule results, each line in the reader's language."""
        from .eligibility import result_message
        return [{**r, "message": result_message(r)} for r in (self.eligibility or {}).get("results", [])]

    @property
    def audit_place_code(self) -> str:
        return self.place_code

    def can(self, verb: str) -> bool:
        return APPLICATION.can(self, verb)


class HomeVerification(BaseModel):
    """入户核查: two staff at the home, neighbours asked, records checked (the 15-day investigation)."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE,
                                    related_name="verifications")
    visited_on = models.DateField(_("核查日期"))
    staff_1 = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人一"), on_delete=models.PROTECT,
                                related_name="+")
    staff_2 = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人二"), on_delete=models.PROTECT,
                                related_name="+")
    neighbours = models.TextField(_("邻里走访情况"), blank=True)
    records = models.TextField(_("查阅资料（收入、车辆、房产等）"), blank=True)
    findings = models.TextField(_("核查结论"))
    verified_income = models.DecimalField(_("核实家庭月收入（元）"), max_digits=10, decimal_places=2)
    recommends = models.BooleanField(_("建议纳入"))

    class Meta:
        ordering = ["application", "-visited_on", "-id"]
        verbose_name = _("入户核查")
        verbose_name_plural = _("入户核查")
        constraints = [models.CheckConstraint(condition=~models.Q(staff_1=models.F("staff_2")),
                                              name="welfare_two_distinct_verifiers")]

    @property
    def audit_place_code(self) -> str:
        return self.application.place_code


class Appraisal(BaseModel):
    """民主评议: a meeting of the appraisal panel, with attendance and votes; the 2/3 rules apply."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE,
                                    related_name="appraisals")
    held_on = models.DateField(_("评议日期"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("主持人"), on_delete=models.PROTECT,
                              related_name="+")
    members = models.PositiveSmallIntegerField(_("应到人数"))
    attendance = models.PositiveSmallIntegerField(_("实到人数"))
    votes_for = models.PositiveSmallIntegerField(_("同意"))
    votes_against = models.PositiveSmallIntegerField(_("不同意"))
    abstentions = models.PositiveSmallIntegerField(_("弃权"), default=0)
    minutes = models.TextField(_("评议记录"), blank=True)
    passed = models.BooleanField(_("通过"))

    class Meta:
        ordering = ["application", "-held_on", "-id"]
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")

    @property
    def audit_place_code(self) -> str:
        return self.application.place_code


class ObjectionOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("经核实，异议不成立")
    UPHELD = "upheld", _("经核实，异议成立，重新核查")


class Objection(BaseModel):
    """An objection 异议 filed on the public board (or at the office) against a public notice."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE,
                                    related_name="objections")
    receipt = models.CharField(_("受理编号"), max_length=20, unique=True)
    text = models.TextField(_("异议内容"))
    name = models.CharField(_("提出人"), max_length=30, blank=True)
    phone_cipher = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=24, blank=True, editable=False)
    answer = models.TextField(_("调查答复"), blank=True)
    outcome = models.CharField(_("结论"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return self.receipt

    @property
    def audit_place_code(self) -> str:
        return self.application.place_code

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Disbursement(BaseModel):
    class Method(models.TextChoices):
        BANK = "bank", _("银行代发")
        CASH = "cash", _("现金")
        GOODS = "goods", _("实物")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="disbursements")
    period = models.DateField(_("所属月份"), help_text=_("该月1日"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices, default=Method.BANK)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["application", "-period"]
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
        constraints = [
            models.UniqueConstraint(fields=["application", "period"], name="welfare_one_payment_per_period"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="welfare_disbursement_positive"),
        ]

    @property
    def audit_place_code(self) -> str:
        return self.application.place_code


class ReReview(BaseModel):
    """Periodic re-review 复核 of an approved entitlement: continue, adjust or stop."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("继续享受")
        ADJUST = "adjust", _("调整金额")
        STOP = "stop", _("停止享受")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE,
                                    related_name="rereviews")
    reviewed_on = models.DateField(_("复核日期"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT,
                                 related_name="+")
    verified_income = models.DecimalField(_("核实家庭月收入（元）"), max_digits=10, decimal_places=2)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    findings = models.TextField(_("复核情况"))
    outcome = models.CharField(_("结论"), max_length=16, choices=Outcome.choices)
    new_amount = models.DecimalField(_("调整后金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["application", "-reviewed_on"]
        verbose_name = _("复核")
        verbose_name_plural = _("复核")

    @property
    def audit_place_code(self) -> str:
        return self.application.place_code


# --- no favouritism -------------------------------------------------------------------------------


class Kinship(models.TextChoices):
    SELF = "self", _("本人所在户")
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    SIBLING = "sibling", _("兄弟姐妹")
    IN_LAW = "in_law", _("姻亲")
    OTHER = "other", _("其他近亲属")


class StaffRelation(BaseModel):
    """A staff member's declaration: 'this household is mine / my relative's'. Reviewers must recuse."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.CASCADE,
                              related_name="declared_relations")
    household = models.ForeignKey("residents.Household", verbose_name=_("户"), on_delete=models.CASCADE,
                                  related_name="+")
    kinship = models.CharField(_("关系"), max_length=16, choices=Kinship.choices)
    relative_name = models.CharField(_("亲属姓名"), max_length=50, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["staff", "kinship"]
        verbose_name = _("工作人员亲属申报")
        verbose_name_plural = _("工作人员亲属申报")
        constraints = [models.UniqueConstraint(fields=["staff", "household"], name="welfare_one_declaration")]

    def __str__(self):
        return f"{self.staff} · {self.get_kinship_display()}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code
