from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import HelpKind, VisitKind


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, household):
        head = household.head.name if household.head_id else ""
        return f"{household.building.name}{household.room} {head}".strip()


class VisitForm(forms.Form):
    household = HouseholdChoiceField(label=_("走访户"), queryset=None)
    visited_on = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("走访类型"), choices=VisitKind.choices, initial=VisitKind.ROUTINE,
                             widget=forms.RadioSelect)
    visitors = forms.ModelMultipleChoiceField(label=_("同行人员（可不选）"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    met = forms.CharField(label=_("见到"), max_length=100, required=False,
                          widget=forms.TextInput(attrs={"placeholder": _("如：户主本人")}))
    notes = forms.CharField(label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    round = forms.ModelChoiceField(label=_("民情大走访"), queryset=None, required=False,
                                   help_text=_("属于正在进行的民情大走访时选择。"))
    needs = forms.CharField(label=_("发现的需求（每行一条）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：楼道灯坏了\n老人需要助餐")}),
                            help_text=_("每条需求稍后可一键转为诉求。"))

    def __init__(self, *args, households=None, colleagues=None, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["visitors"].queryset = colleagues
        self.fields["round"].queryset = rounds
        self.fields["visited_on"].initial = timezone.localdate()

    def need_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("needs", "").splitlines() if line.strip()]


class HelpForm(forms.Form):
    household = HouseholdChoiceField(label=_("受助户"), queryset=None)
    kind = forms.ChoiceField(label=_("帮扶方式"), choices=HelpKind.choices)
    given_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("内容"), max_length=300)
    amount = forms.DecimalField(label=_("金额（元）"), required=False, min_value=0, decimal_places=2,
                                help_text=_("资金为发放金额，物资为折合金额。"))
    source = forms.CharField(label=_("来源"), max_length=100, required=False)

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["given_on"].initial = timezone.localdate()


class CycleForm(forms.Form):
    interval_days = forms.IntegerField(label=_("周期（天）"), min_value=1, max_value=366)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点编码"), required=False)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial=_("民情大走访"))
    place = forms.ModelChoiceField(label=_("范围"), queryset=None)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    leaders = forms.ModelMultipleChoiceField(label=_("带队领导"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places=None, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["leaders"].queryset = leaders
