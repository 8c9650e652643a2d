"""The audit search for supervisors and admins. It lives with the policy, not in core: reading the trail
within a scope needs the grants, and core sits below accounts (tests/test_layering.py)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from minqing.core.errors import NotFound
from minqing.core.labels import action_choices
from minqing.core.models import AuditEntry

from .policy import has_perm_anywhere, scope_q


def audit_list(*, actor, place_code: str | None = None, action: str | None = None):
    """The audit search, within the actor's scope."""
    entries = AuditEntry.objects.filter(scope_q(actor, "audit.view", field="place_code"))
    if place_code:
        entries = entries.filter(place_code__startswith=place_code)
    if action:
        entries = entries.filter(action__startswith=action)
    return entries.select_related("actor")


@login_required
def audit_search(request):
    if not has_perm_anywhere(request.user, "audit.view"):
        raise NotFound()
    entries = audit_list(actor=request.user, place_code=request.GET.get("place") or None,
                         action=request.GET.get("action") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "actions": action_choices()})
