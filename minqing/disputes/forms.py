"""Forms of the disputes pages. Field names match the service arguments they feed."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from minqing.core.userdata import data_choices

from .models import (
    Agreement, AssessmentLevel, Consultation, DisputeParty, EscalationSign, Kind, PartySide, Referral, Responsibility,
    RiskLevel, StabilityAssessment, Status,
)
from .selectors import place_labels, staff_serving

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _area(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StaffChoiceMixin:
    """Limits every user field to the people who work on disputes where this one is."""

    staff_fields: tuple[str, ...] = ()

    def limit_staff(self, place_code: str):
        people = staff_serving(place_code=place_code)
        for name in self.staff_fields:
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda u: u.get_full_name()


class DisputeFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    place = forms.ChoiceField(label=_("地区"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + Status.choices)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + Kind.choices)
    risk_level = forms.ChoiceField(label=_("风险"), required=False, choices=[("", _("全部"))] + RiskLevel.choices)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = place_labels(places)
        self.fields["place"].choices = [("", _("全部"))] + data_choices(labels.items())


class RiskFields(forms.Form):
    people_involved = forms.IntegerField(label=_("涉及人数"), min_value=1, initial=2)
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.GENERAL)
    risk_reasons = forms.CharField(label=_("定级理由"), required=False, widget=_area(2),
                                   help_text=_("较大、重大风险必填：人数、情绪、是否有过激言行、是否涉及欠薪等。"))
    escalation_signs = forms.MultipleChoiceField(label=_("激化苗头"), required=False, choices=EscalationSign.choices,
                                                 widget=forms.CheckboxSelectMultiple)


class DisputeReportForm(RiskFields):
    place = forms.ModelChoiceField(label=_("发生地"), queryset=None)
    title = forms.CharField(label=_("纠纷名称"), max_length=120)
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=Kind.choices)
    location = forms.CharField(label=_("具体地点"), required=False, max_length=200)
    description = forms.CharField(label=_("纠纷简要情况"), widget=_area(4))
    source_appeal_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["place", "title", "kind", "location", "description", "people_involved", "risk_level",
                   "risk_reasons", "escalation_signs"]

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        labels = place_labels(places) if places is not None else {}
        self.fields["place"].label_from_instance = lambda p: f"{labels.get(p.code, p.name)}（{p.kind_display}）"


class RiskForm(VersionForm, RiskFields):
    pass


class PartyForm(forms.Form):
    side = forms.ChoiceField(label=_("当事人类别"), choices=PartySide.choices)
    party_kind = forms.ChoiceField(label=_("主体"), choices=DisputeParty.PartyKind.choices)
    name = forms.CharField(label=_("姓名/名称"), max_length=100)
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "—"), ("男", _("男")), ("女", _("女"))])
    age = forms.IntegerField(label=_("年龄"), required=False, min_value=0, max_value=130)
    representative = forms.CharField(label=_("法定代表人/负责人"), required=False, max_length=50)
    address = forms.CharField(label=_("住址/单位地址"), required=False, max_length=200)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)


class LedgerPartyForm(forms.Form):
    resident_id = forms.IntegerField(widget=forms.HiddenInput)
    side = forms.ChoiceField(label=_("当事人类别"), choices=PartySide.choices)


class AcceptForm(StaffChoiceMixin, VersionForm):
    staff_fields = ("leader", "staff", "owner_study", "owner_coordinate", "owner_supervise", "owner_stabilise")
    leader = forms.ModelChoiceField(label=_("定领导（责任领导）"), queryset=None)
    staff = forms.ModelChoiceField(label=_("定人员（责任人员）"), queryset=None)
    deadline = forms.DateField(label=_("定时限（化解期限）"), widget=DATE,
                               help_text=_("人民调解一般应在受理后30日内调结。"))
    owner_study = forms.ModelChoiceField(label=_("包研究"), queryset=None, required=False,
                                         help_text=_("不选则由责任领导负责"))
    owner_coordinate = forms.ModelChoiceField(label=_("包协调处理"), queryset=None, required=False,
                                              help_text=_("不选则由责任人员负责"))
    owner_supervise = forms.ModelChoiceField(label=_("包督办落实"), queryset=None, required=False,
                                             help_text=_("不选则由责任领导负责"))
    owner_stabilise = forms.ModelChoiceField(label=_("包教育稳控"), queryset=None, required=False,
                                             help_text=_("不选则由责任人员负责"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"leader": data["leader"], "staff": data["staff"], "deadline": data["deadline"],
                "owners": {kind: data[f"owner_{kind}"] for kind in Responsibility.Kind.values}}


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("理由"), widget=_area(2))


class NoteForm(VersionForm):
    note = forms.CharField(label=_("说明"), widget=_area(2))


class ResponsibilityForm(VersionForm):
    state = forms.ChoiceField(label=_("落实情况"), choices=Responsibility.State.choices)
    note = forms.CharField(label=_("进展说明"), required=False, widget=_area(2))


class SessionForm(StaffChoiceMixin, VersionForm):
    staff_fields = ("mediator",)
    held_at = forms.DateTimeField(label=_("调解时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"],
                                  initial=lambda: timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    venue = forms.CharField(label=_("调解地点"), required=False, max_length=120)
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=None)
    participants = forms.CharField(label=_("参加人员"), widget=_area(2))
    notes = forms.CharField(label=_("调解记录"), widget=_area(4))


class RecuseForm(StaffChoiceMixin, forms.Form):
    staff_fields = ("mediator",)
    mediator = forms.ModelChoiceField(label=_("回避的调解员"), queryset=None)
    reason = forms.CharField(label=_("回避理由"), widget=_area(2),
                             help_text=_("如当事人申请回避，或调解员与当事人有利害关系。"))


class AgreementForm(StaffChoiceMixin, VersionForm):
    staff_fields = ("mediator",)
    scope = forms.ChoiceField(label=_("协议范围"), choices=Agreement.Scope.choices)
    facts = forms.CharField(label=_("纠纷主要事实"), widget=_area(3))
    matters_in_dispute = forms.CharField(label=_("争议事项"), widget=_area(2))
    responsibilities = forms.CharField(label=_("各方责任"), widget=_area(2))
    terms = forms.CharField(label=_("协议内容（各方权利义务）"), widget=_area(4),
                            help_text=_("逐条写明各方同意做什么、付多少、何时做。"))
    performance_method = forms.CharField(label=_("履行方式"), max_length=200)
    performance_place = forms.CharField(label=_("履行地点"), max_length=200)
    performance_deadline = forms.DateField(label=_("履行期限"), widget=DATE)
    mediator = forms.ModelChoiceField(label=_("人民调解员"), queryset=None)
    committee = forms.CharField(label=_("人民调解委员会"), max_length=100)


class ReferForm(VersionForm):
    destination = forms.ChoiceField(label=_("移交去向"), choices=Referral.Destination.choices)
    receiving_body = forms.CharField(label=_("接收单位"), max_length=120)
    reference = forms.CharField(label=_("接收文号/案号"), required=False, max_length=60)
    note = forms.CharField(label=_("移交说明"), widget=_area(2))


class FollowUpForm(VersionForm):
    honoured = forms.TypedChoiceField(label=_("履行情况"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("已按协议履行")), ("no", _("未履行，重新调解"))],
                                      widget=forms.RadioSelect)
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("回访情况"), widget=_area(2))


class ScreeningForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None)
    day = forms.DateField(label=_("排查周（任一天）"), widget=DATE, initial=timezone.localdate)
    found_nothing = forms.BooleanField(label=_("本周期未发现矛盾纠纷"), required=False)
    households_visited = forms.IntegerField(label=_("走访户数"), min_value=0, initial=0)
    summary = forms.CharField(label=_("排查发现的情况"), required=False, widget=_area(3))
    dispute_ids = forms.MultipleChoiceField(label=_("本期登记的纠纷"), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, grids=None, disputes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        labels = place_labels(grids) if grids is not None else {}
        self.fields["grid"].label_from_instance = lambda p: labels.get(p.code, p.name)
        self.fields["dispute_ids"].choices = data_choices((d.pk, f"{d.number} {d.title}") for d in disputes)

    def clean_dispute_ids(self):
        return [int(pk) for pk in self.cleaned_data["dispute_ids"]]


class AssessmentOpenForm(forms.Form):
    place = forms.ModelChoiceField(label=_("涉及地区"), queryset=None)
    decision = forms.CharField(label=_("拟决策事项"), max_length=150)
    decision_maker = forms.CharField(label=_("决策主体"), max_length=100)
    background = forms.CharField(label=_("决策内容与背景"), widget=_area(4))
    affected_people = forms.IntegerField(label=_("涉及群众人数"), min_value=0, initial=0)

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        labels = place_labels(places) if places is not None else {}
        self.fields["place"].label_from_instance = lambda p: labels.get(p.code, p.name)


class ConsultationForm(forms.Form):
    method = forms.ChoiceField(label=_("方式"), choices=Consultation.Method.choices)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    people_count = forms.IntegerField(label=_("参与人数"), min_value=0, initial=0)
    support_count = forms.IntegerField(label=_("赞成人数"), min_value=0, initial=0)
    summary = forms.CharField(label=_("主要意见"), widget=_area(3))
    link = forms.CharField(label=_("相关记录链接"), required=False, max_length=300)
    meeting = forms.ModelChoiceField(label=_("关联会议"), required=False, queryset=None,
                                     help_text=_("以会议方式征求意见时，选择已召开的会议。"))

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        from minqing.meetings.models import Meeting

        self.fields["meeting"].queryset = meetings if meetings is not None else Meeting.objects.none()


class RiskPointForm(forms.Form):
    description = forms.CharField(label=_("风险点"), widget=_area(2))
    likelihood = forms.TypedChoiceField(label=_("可能性"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    impact = forms.TypedChoiceField(label=_("影响程度"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    measure = forms.CharField(label=_("防范措施"), required=False, widget=_area(2))


class ConcludeForm(VersionForm):
    overall_level = forms.ChoiceField(label=_("综合风险等级"), choices=AssessmentLevel.choices)
    measures = forms.CharField(label=_("风险防范化解措施"), widget=_area(3))
    conclusion = forms.ChoiceField(label=_("评估结论"), choices=StabilityAssessment.Conclusion.choices)
    conclusion_reason = forms.CharField(label=_("结论理由"), widget=_area(2))


class FiguresForm(forms.Form):
    place = forms.ChoiceField(label=_("地区"), required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = place_labels(places)
        self.fields["place"].choices = [("", _("我的全部范围"))] + data_choices(labels.items())
