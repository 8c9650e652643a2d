"""The category tree and the service-level table: read by those who dispatch by them ("appeal.dispatch"),
changed by administrators ("taxonomy.manage")."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minqing.accounts.policy import can, has_perm_anywhere
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error

from . import forms
from .taxonomy import Category, ServiceLevel
from .taxonomy_services import category_create, category_update, service_level_set


@login_required
def taxonomy(request):
    manages = can(request.user, "taxonomy.manage", None)
    if not (manages or has_perm_anywhere(request.user, "appeal.dispatch")):
        raise NotFound()
    if request.method == "POST" and not manages:
        raise PermissionDenied()
    category_form = forms.CategoryForm(request.POST if "name" in request.POST else None)
    level_form = forms.ServiceLevelForm(request.POST if "urgency" in request.POST else None)
    edit_form = forms.CategoryEditForm(request.POST if "category_id" in request.POST else None)
    bound = next((f for f in (category_form, level_form, edit_form) if f.is_bound), None)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if bound is category_form:
                category_create(actor=request.user, **data)
            elif bound is level_form:
                service_level_set(actor=request.user, **data)
            else:
                category_update(actor=request.user, category_id=data["category_id"], name=data["rename"],
                                sort=data["sort"], is_active=data["is_active"], expected_version=data["version"])
        except ApplicationError as error:
            form_add_error(bound, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("appeals:taxonomy")
    return render(request, "appeals/taxonomy.html", {
        "tops": Category.objects.filter(parent__isnull=True).prefetch_related("children"),
        "levels": ServiceLevel.objects.select_related("category", "category__parent"),
        "category_form": category_form, "level_form": level_form, "edit_form": edit_form, "manages": manages,
    })
