from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from minqing.accounts.policy import has_perm_anywhere

from .errors import NotFound
from .labels import action_choices
from .selectors import audit_list


@login_required
def audit_search(request):
    if not has_perm_anywhere(request.user, "audit.view"):
        raise NotFound()
    entries = audit_list(actor=request.user, place_code=request.GET.get("place") or None,
                         action=request.GET.get("action") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "actions": action_choices()})


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the static icon (hashed name in production)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
