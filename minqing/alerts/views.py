from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, is_global
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error

from . import services
from .forms import AlertFilterForm, HandleForm, ReopenForm, RuleForm, VersionForm
from .selectors import alert_changes, alert_evidence, alert_get, alert_list
from .thresholds import PARAM_LABELS, rule_configs


@login_required
def alert_index(request):
    if not has_perm_anywhere(request.user, "alert.view"):
        raise NotFound()
    form = AlertFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    alerts = alert_list(actor=request.user, status=data.get("status") or None, open_only=not data.get("status"),
                        rule=data.get("rule") or None)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(request, "alerts/list.html", {"form": form, "page": page})


def _detail(request, alert, status=200, **forms):
    initial = {"version": alert.version}
    return render(request, "alerts/detail.html", {
        "alert": alert, "can_handle": can(request.user, "alert.handle", alert.place.code),
        "handle_form": HandleForm(initial=initial), "reopen_form": ReopenForm(initial=initial),
        "version_form": VersionForm(initial=initial), "evidence": alert_evidence(actor=request.user, alert=alert),
        "changes": alert_changes(alert=alert),
        **forms,
    }, status=status)


@login_required
def alert_detail(request, pk):
    return _detail(request, alert_get(actor=request.user, alert_id=pk))


# Lazy: this table is built at import, before any request has chosen a language.
_ACTIONS = {
    "acknowledge": (VersionForm, services.alert_acknowledge, gettext_lazy("已签收。")),
    "handle": (HandleForm, services.alert_handle, gettext_lazy("已记录处置情况。")),
    "reopen": (ReopenForm, services.alert_reopen, gettext_lazy("已退回重新处置。")),
    "close": (VersionForm, services.alert_close, gettext_lazy("预警已关闭。")),
}


@login_required
@require_POST
def alert_act(request, pk, verb):
    alert = alert_get(actor=request.user, alert_id=pk)
    form_class, service, done = _ACTIONS.get(verb) or (None, None, None)
    if form_class is None:
        raise NotFound()
    form = form_class(request.POST)
    status = 422
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            service(actor=request.user, alert_id=alert.pk, expected_version=form.cleaned_data["version"], **fields)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as error:
            form_add_error(form, error)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("alerts:detail", pk=alert.pk)
    slot = {"handle": "handle_form", "reopen": "reopen_form"}.get(verb, "version_form")
    return _detail(request, alert, status=status, failed_form=form, **{slot: form})


@login_required
def rule_index(request):
    if not is_global(request.user):
        raise NotFound()
    configs = rule_configs()
    forms_by_code = {code: RuleForm(prefix=code, initial={"enabled": c.enabled, "level": c.level, "params": c.params})
                     for code, c in configs.items()}
    if request.method == "POST":
        code = request.POST.get("code")
        form = RuleForm(request.POST, prefix=code)
        forms_by_code[code] = form
        if code in configs and form.is_valid():
            try:
                services.warning_rule_configure(actor=request.user, code=code, **form.cleaned_data)
            except ApplicationError as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("预警规则已保存。"))
                return redirect("alerts:rules")
    rows = [(configs[code], form) for code, form in forms_by_code.items()]
    return render(request, "alerts/rules.html", {"rows": rows, "param_labels": PARAM_LABELS})
