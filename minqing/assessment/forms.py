"""Forms of the assessment pages: they parse input; the services decide."""
from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import indicators
from .models import AwardKind, PeriodKind, Subject


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    street = forms.ModelChoiceField(label=_("制定单位（街道）"), queryset=None)
    subject = forms.ChoiceField(label=_("考核对象"), choices=Subject.choices)
    period_kind = forms.ChoiceField(label=_("考核周期"), choices=PeriodKind.choices)
    period_start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        for code, label in indicators.choices():
            self.fields[f"w_{code}"] = forms.IntegerField(label=label, min_value=0, max_value=100, required=False,
                                                          help_text=indicators.REGISTRY[code].definition)

    @property
    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def lines(self):
        from .services import WeightedIndicator

        return [WeightedIndicator(name[2:], value) for name, value in self.cleaned_data.items()
                if name.startswith("w_") and value]


class TopDownForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("评分（0–100）"), max_digits=5, decimal_places=1, min_value=0, max_value=100)
    note = forms.CharField(label=_("评语"), max_length=300, required=False)


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=_("重新计算的原因"), max_length=300)


def _quarter_now() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


class CheckForm(forms.Form):
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)])
    no_mess = forms.BooleanField(label=_("清洁卫生无脏、乱、差"), required=False)
    no_vice = forms.BooleanField(label=_("居民无黄、赌、毒"), required=False)
    no_theft_fire = forms.BooleanField(label=_("楼栋无偷盗、失火"), required=False)
    no_quarrels = forms.BooleanField(label=_("地段无口角纠纷、打架斗殴"), required=False)
    checked_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("情况说明"), max_length=300, required=False,
                           help_text=_("未达标时必填：哪一项、什么情况。"))

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        year, quarter = _quarter_now()
        self.fields["year"].initial, self.fields["quarter"].initial = year, quarter
        self.fields["checked_on"].initial = timezone.localdate()


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("评比类别"), choices=AwardKind.choices)
    household = forms.ModelChoiceField(label=_("家庭"), queryset=None, required=False)
    resident = forms.ModelChoiceField(label=_("居民"), queryset=None, required=False)
    reason = forms.CharField(label=_("推荐理由"), max_length=300)

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        from minqing.residents.models import Household, Resident

        self.fields["household"].queryset = Household.objects.filter(building=check.building, is_active=True)
        self.fields["resident"].queryset = Resident.objects.filter(household__building=check.building)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审批"), coerce=lambda v: v == "1",
                                     choices=[("1", _("批准")), ("0", _("不批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


class StudyForm(forms.Form):
    place = forms.ModelChoiceField(label=_("调研地点"), queryset=None)
    title = forms.CharField(label=_("调研题目"), max_length=120)
    done_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("调研结论"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)
