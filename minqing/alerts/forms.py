from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, RuleCode, Status


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("未关闭"))] + Status.choices)
    rule = forms.ChoiceField(label=_("规则"), required=False, choices=[("", _("全部"))] + RuleCode.choices)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HandleForm(VersionForm):
    action_taken = forms.CharField(label=_("处置情况"), widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("写明做了什么：约谈、走访、召开协调会、立案调解、报告领导……"))


class ReopenForm(VersionForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("启用"), required=False)
    level = forms.ChoiceField(label=_("预警级别"), choices=Level.choices)
    params = forms.JSONField(label=_("阈值参数（JSON）"), widget=forms.Textarea(attrs={"rows": 4}))
