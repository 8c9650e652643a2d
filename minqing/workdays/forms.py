from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarDayForm(forms.Form):
    KIND_CHOICES = [("holiday", _("放假")), ("workday", _("调休上班")), ("clear", _("恢复按星期"))]

    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_CHOICES)
    name = forms.CharField(label=_("名称"), max_length=50, required=False, help_text=_("如：春节、国庆节"))


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("依据"), max_length=200, required=False, help_text=_("如：国办发明电〔2026〕X号"))
