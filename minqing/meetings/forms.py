"""Meeting and reception forms: they parse input; every rule is in the services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.core.userdata import data_choices

from .models import MeetingKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SeriesForm(forms.Form):
    place = forms.ModelChoiceField(label=_("社区/街道"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：渝阳社区居民代表会议"))
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class MeetingForm(forms.Form):
    series = forms.ModelChoiceField(label=_("会议系列"), queryset=None,
                                    help_text=_("同一系列的下次会议会通报本次意见的办理情况。"))
    title = forms.CharField(label=_("会议名称"), max_length=150, required=False, help_text=_("留空则按系列名称和日期生成。"))
    starts_at = forms.DateTimeField(label=_("会议时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    location = forms.CharField(label=_("会场"), max_length=150)
    agenda = forms.CharField(label=_("议题"), widget=_area(3), required=False)
    partner_units = forms.ModelMultipleChoiceField(label=_("邀请协办单位"), queryset=None, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    staff = forms.ModelMultipleChoiceField(label=_("邀请工作人员"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, series, partner_units, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["partner_units"].queryset = partner_units
        self.fields["staff"].queryset = staff


class HoldForm(VersionForm):
    attended = forms.TypedMultipleChoiceField(label=_("出席人员"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    attendance_count = forms.IntegerField(label=_("实到人数"), min_value=0, required=False,
                                          help_text=_("留空则按勾选出席的人数计。"))

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = data_choices((i.pk, f"{i}（{i.group}）") for i in invitees)


class MinutesForm(VersionForm):
    minutes = forms.CharField(label=_("会议纪要"), widget=_area(6), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定事项"), widget=_area(2))
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, required=False)
    is_public = forms.BooleanField(label=_("在居务公开栏公布"), required=False)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class OpinionForm(forms.Form):
    HOW = [("open", _("会后处理")), ("answer", _("当场答复")), ("demand", _("转为诉求"))]

    resident = forms.TypedChoiceField(label=_("提出人（参会居民）"), coerce=int, required=False, empty_value=None)
    speaker = forms.CharField(label=_("或填写提出人"), max_length=60, required=False)
    text = forms.CharField(label=_("意见内容"), widget=_area(3))
    how = forms.ChoiceField(label=_("处理"), choices=HOW, initial="open", widget=forms.RadioSelect)
    answer = forms.CharField(label=_("答复内容"), widget=_area(2), required=False)

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        if residents:
            self.fields["resident"].choices = [("", "—")] + data_choices((r.pk, str(r)) for r in residents)
        else:
            del self.fields["resident"]
            self.fields["speaker"].label = _("提出人")


class AnswerForm(VersionForm):
    answer = forms.CharField(label=_("答复内容"), widget=_area(2))


class ReceptionForm(forms.Form):
    place = forms.ModelChoiceField(label=_("社区/街道"), queryset=None)
    leader = forms.ModelChoiceField(label=_("接访领导"), queryset=None)
    day = forms.DateField(label=_("接访日期"), widget=DATE)
    hours = forms.CharField(label=_("时段"), max_length=40, initial="9:00-11:30")
    location = forms.CharField(label=_("接访地点"), max_length=150)

    def __init__(self, *args, places, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["leader"].queryset = leaders


class ReceptionRecordForm(VersionForm):
    visitors_count = forms.IntegerField(label=_("来访人次"), min_value=0)
    summary = forms.CharField(label=_("接访情况"), widget=_area(3), required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始"), widget=DATE, required=False)
    end = forms.DateField(label=_("结束"), widget=DATE, required=False)
