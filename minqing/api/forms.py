from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services import EXPIRY_DAYS_CHOICES


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：供热公司工单系统、12345 热线对接。"))
    access = forms.ChoiceField(label=_("权限"), choices=ApiToken.Access.choices, initial=ApiToken.Access.READ)
    expires_in_days = forms.TypedChoiceField(
        label=_("有效期"), coerce=int, initial=90,
        choices=[(d, _("%(days)s 天") % {"days": d}) for d in EXPIRY_DAYS_CHOICES],
    )
