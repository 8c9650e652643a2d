from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AmountMode, Disbursement, Kinship, ObjectionOutcome, ProgrammeKind, ReReview


def _date(label, **kw):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HouseholdField(forms.ModelChoiceField):
    def label_from_instance(self, h):
        return f"{h.building.name}{h.room} {h.head.name if h.head_id else ''}".strip()


class ApplicationForm(forms.Form):
    household = HouseholdField(label=_("申请家庭"), queryset=None)
    programme = forms.ModelChoiceField(label=_("救助项目"), queryset=None)
    applicant = forms.ModelChoiceField(label=_("申请人"), queryset=None,
                                       help_text=_("须为该户在住成员。"))
    declared_income = forms.DecimalField(label=_("申报家庭月收入（元）"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, households=None, programmes=None, residents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["programme"].queryset = programmes
        self.fields["applicant"].queryset = residents


class VerifyForm(Versioned):
    visited_on = _date(_("核查日期"))
    staff_1 = forms.ModelChoiceField(label=_("核查人一"), queryset=None)
    staff_2 = forms.ModelChoiceField(label=_("核查人二"), queryset=None)
    neighbours = forms.CharField(label=_("邻里走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    records = forms.CharField(label=_("查阅资料（收入、车辆、房产等）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("核查结论"), widget=forms.Textarea(attrs={"rows": 3}))
    verified_income = forms.DecimalField(label=_("核实家庭月收入（元）"), min_value=0, decimal_places=2)
    recommends = forms.TypedChoiceField(label=_("意见"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                        choices=[("1", _("建议纳入")), ("0", _("不建议纳入"))])

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_1"].queryset = staff
        self.fields["staff_2"].queryset = staff
        self.fields["visited_on"].initial = timezone.localdate()


class AppraiseForm(Versioned):
    held_on = _date(_("评议日期"))
    members = forms.IntegerField(label=_("应到人数"), min_value=1)
    attendance = forms.IntegerField(label=_("实到人数"), min_value=0)
    votes_for = forms.IntegerField(label=_("同意"), min_value=0)
    votes_against = forms.IntegerField(label=_("不同意"), min_value=0)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    minutes = forms.CharField(label=_("评议记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(Versioned):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(Versioned):
    amount = forms.DecimalField(label=_("核定金额（元）"), min_value=0, decimal_places=2, required=False,
                                help_text=_("留空按测算金额。"))
    entitlement_start = _date(_("享受起始"), required=False)


class DisburseForm(forms.Form):
    period = _date(_("所属月份"))
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2)
    paid_on = _date(_("发放日期"))
    method = forms.ChoiceField(label=_("方式"), choices=Disbursement.Method.choices)


class ReReviewForm(Versioned):
    reviewed_on = _date(_("复核日期"))
    verified_income = forms.DecimalField(label=_("核实家庭月收入（元）"), min_value=0, decimal_places=2)
    findings = forms.CharField(label=_("复核情况"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("结论"), choices=ReReview.Outcome.choices)
    new_amount = forms.DecimalField(label=_("调整后金额（元）"), min_value=0, decimal_places=2, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("提出人"), max_length=30, required=False)
    phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9+\-]{7,20}$", required=False)


class AnswerForm(Versioned):
    answer = forms.CharField(label=_("调查答复"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("结论"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect)


class RelationForm(forms.Form):
    household = HouseholdField(label=_("户"), queryset=None)
    kinship = forms.ChoiceField(label=_("关系"), choices=Kinship.choices)
    relative_name = forms.CharField(label=_("亲属姓名"), max_length=50, required=False)

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class ProgrammeForm(forms.Form):
    place = forms.ModelChoiceField(label=_("适用范围"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=ProgrammeKind.choices)
    amount_mode = forms.ChoiceField(label=_("金额方式"), choices=AmountMode.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2, initial=0)
    income_threshold = forms.DecimalField(label=_("保障标准（人均月收入，元）"), min_value=0, decimal_places=2,
                                          required=False)
    period_months = forms.IntegerField(label=_("享受期（月）"), min_value=1, required=False)
    review_interval_months = forms.IntegerField(label=_("复核周期（月）"), min_value=1, required=False)
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=1, initial=7)
    requires_appraisal = forms.BooleanField(label=_("需民主评议"), required=False, initial=True)
    requires_notice = forms.BooleanField(label=_("需公示"), required=False, initial=True)
    max_income_per_capita = forms.DecimalField(label=_("条件：人均月收入不高于（元）"), min_value=0, required=False)
    min_household_size = forms.IntegerField(label=_("条件：家庭人口不少于"), min_value=1, required=False)
    max_household_size = forms.IntegerField(label=_("条件：家庭人口不多于"), min_value=1, required=False)
    requires_tag = forms.ModelChoiceField(label=_("条件：家庭成员须有标签"), queryset=None, required=False,
                                          to_field_name="code")
    excludes_tag = forms.ModelChoiceField(label=_("条件：家庭成员不得有标签"), queryset=None, required=False,
                                          to_field_name="code")

    RULE_FIELDS = ("max_income_per_capita", "min_household_size", "max_household_size", "requires_tag", "excludes_tag")

    def __init__(self, *args, places=None, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["requires_tag"].queryset = tags
        self.fields["excludes_tag"].queryset = tags

    def terms(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.RULE_FIELDS}

    def rules(self) -> list:
        from decimal import Decimal

        from .eligibility import RuleSpec

        data, specs = self.cleaned_data, []
        for kind in ("max_income_per_capita", "min_household_size", "max_household_size"):
            if data.get(kind) is not None:
                specs.append(RuleSpec(kind, Decimal(data[kind])))
        for kind in ("requires_tag", "excludes_tag"):
            if data.get(kind) is not None:
                specs.append(RuleSpec(kind, tag_code=data[kind].code, tag_name=data[kind].name))
        return specs
