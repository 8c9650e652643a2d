from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minqing.core.errors import ApplicationError
from minqing.core.forms import form_add_error

from .forms import PasswordChangeForm
from .navigation import home_panels_for
from .selectors import own_posts
from .services import user_change_password


@login_required
def home(request):
    return render(request, "accounts/home.html", {"panels": home_panels_for(request),
                                                  "assignments": own_posts(request.user)})


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(actor=request.user, user=request.user,
                                 old_password=form.cleaned_data["old_password"],
                                 new_password=form.cleaned_data["new_password"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
