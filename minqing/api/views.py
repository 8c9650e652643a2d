"""The page where a user creates, sees and revokes their own API tokens."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.core.errors import ApplicationError
from minqing.core.forms import form_add_error

from .forms import ApiTokenForm
from .selectors import api_token_list
from .services import api_token_create, api_token_revoke


@never_cache
@login_required
def token_list(request):
    """GET lists the tokens; POST creates one and shows its secret on this response only."""
    form, secret = ApiTokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            form = ApiTokenForm()
    return render(request, "api/token_list.html",
                  {"form": form, "secret": secret, "tokens": api_token_list(actor=request.user)})


@require_POST
@login_required
def token_revoke(request, token_id: int):
    try:
        api_token_revoke(actor=request.user, token_id=token_id)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("令牌已撤销，使用它的系统将立即无法访问。"))
    return redirect("api:token_list")
