"""The pickers: place and period (a named period, or a range of days)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.core.errors import ValidationError
from minqing.core.userdata import data_choices

from .metrics import DRILLS
from .periods import Period, period_choices, period_parse


class PeriodPlaceForm(forms.Form):
    # Select widgets over free values: a drill link may name a grid or a range not among the options.
    place = forms.CharField(label=_("地点"), required=False, max_length=20, widget=forms.Select)
    period = forms.CharField(label=_("统计期间"), required=False, max_length=30, widget=forms.Select)
    start = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, places=(), current: Period | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].widget.choices = data_choices(places)
        choices = period_choices()
        if current is not None and current.code not in dict(choices):
            choices.insert(0, (current.code, current.label))  # a range or a drilled month stays selected
        self.fields["period"].widget.choices = choices

    def chosen_period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") and data.get("end"):
            code = f"{data['start']:%Y-%m-%d}~{data['end']:%Y-%m-%d}"
        else:
            code = data.get("period") or ""
        try:
            return period_parse(code)
        except ValidationError:
            return period_parse("")

    def chosen_place_code(self) -> str | None:
        return (self.cleaned_data.get("place") if self.is_valid() else None) or None


class DrillForm(forms.Form):
    place = forms.CharField(required=False, max_length=20)
    period = forms.CharField(required=False, max_length=30)
    metric = forms.ChoiceField(choices=[(k, k) for k in DRILLS])
    category = forms.CharField(required=False, max_length=20)
    channel = forms.CharField(required=False, max_length=20)
    handler = forms.CharField(required=False, max_length=20)
    unit = forms.CharField(required=False, max_length=20)

    def clean(self):
        data = super().clean()
        for name in ("category", "handler", "unit"):
            if data.get(name) and not data[name].isdigit():
                self.add_error(name, _("无效的筛选条件。"))
        return data

    def filters(self) -> dict:
        """Only the dimensions present in the link: an empty value means "none" (e.g. no category)."""
        return {k: self.cleaned_data[k] for k in ("category", "channel", "handler", "unit") if k in self.data}
