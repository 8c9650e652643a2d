from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeKind
from .services import NOTICE_KINDS_FOR_STAFF


class NoticeForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[(k.value, k.label) for k in NOTICE_KINDS_FOR_STAFF],
                             initial=NoticeKind.NOTICE)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))
    display_until = forms.DateField(label=_("公示截止日"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("修改说明"), max_length=200, required=False,
                             help_text=_("已发布的事项修改后，修改说明和修改内容会在公开栏显示。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, communities=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["community"], self.fields["kind"]
        else:
            self.fields["community"].queryset = communities
            self.fields["community"].required = True
            if communities is not None and communities.count() == 1:
                self.fields["community"].initial = communities.first().pk
            del self.fields["reason"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("请写明您了解的情况。异议会由社区调查核实并答复。"))
    name = forms.CharField(label=_("您的姓名（可不填）"), max_length=30, required=False)
    phone = forms.RegexField(label=_("联系电话（可不填，用于答复）"), regex=r"^[0-9+\-]{7,20}$", required=False,
                             error_messages={"invalid": _("请填写正确的电话号码。")})
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "hp", "tabindex": "-1",
                                                                            "autocomplete": "off"}))
