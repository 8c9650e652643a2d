from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TeamCategory, TeamKind

DATETIME = {"type": "datetime-local"}


class TeamForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=TeamKind.choices)
    category = forms.ChoiceField(label=_("服务类别"), choices=TeamCategory.choices)
    charter = forms.CharField(label=_("章程"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("宗旨、入会条件、活动制度、保障与奖励。"))
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class CharterForm(forms.Form):
    charter = forms.CharField(label=_("章程"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    location = forms.CharField(label=_("地点"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs=DATETIME))
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=forms.DateTimeInput(attrs=DATETIME))
    places_needed = forms.IntegerField(label=_("招募人数"), min_value=1, max_value=500)
    description = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("称呼"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           help_text=_("如：王阿姨、3栋李师傅。"))
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            help_text=_("只用于联系和统计服务时长，不会公开。"))


class CancelActivityForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)
