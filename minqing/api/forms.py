from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _

from .models import ApiToken
from .services import EXPIRY_DAYS_CHOICES


_days_label = lazy(lambda days: gettext("%(days)s 天") % {"days": days}, str)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：供热公司工单系统、12345 热线对接。"))
    access = forms.ChoiceField(label=_("权限"), choices=ApiToken.Access.choices, initial=ApiToken.Access.READ)
    expires_in_days = forms.TypedChoiceField(
        label=_("有效期"), coerce=int, initial=90,
        # Lazy: the class body runs at import, before a request has chosen a language.
        choices=[(d, _days_label(d)) for d in EXPIRY_DAYS_CHOICES],
    )
