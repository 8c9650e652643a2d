"""Insight pages: category suggestions as JSON for the intake form, hot issues, accuracy in use.

The pages need "insight.view" (offices at community level and above: not grid workers, building heads or
partner units); what they show is still limited to the demands the actor may see (appeal.view scope)."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.errors import NotFound

from .selectors import category_suggestion_stats, hot_issue_rows, intake_category_suggestions

MAX_TEXT = 2000  # characters of the draft read for a suggestion


def suggestions_json(suggestions) -> dict:
    return {"model": suggestions.model_name, "suggestions": [
        {"id": s.category.pk, "name": s.category.name, "confidence": s.confidence, "terms": list(s.terms),
         "children": [{"id": c.pk, "name": c.name} for c in s.category.children.all() if c.is_active]}
        for s in suggestions.items]}


@login_required
@require_POST
def suggest(request):
    """POST, not GET: the draft may hold personal details, and query strings end up in access logs."""
    if not has_perm_anywhere(request.user, "appeal.intake"):
        raise NotFound()
    return JsonResponse(suggestions_json(intake_category_suggestions(text=request.POST.get("text", "")[:MAX_TEXT])),
                        json_dumps_params={"ensure_ascii": False})


@login_required
def hot(request):
    if not has_perm_anywhere(request.user, "insight.view"):
        raise NotFound()
    days = 90 if request.GET.get("days") == "90" else 30
    return render(request, "insight/hot.html", {"rows": hot_issue_rows(actor=request.user, days=days), "days": days})


@login_required
def accuracy(request):
    if not has_perm_anywhere(request.user, "insight.view"):
        raise NotFound()
    return render(request, "insight/accuracy.html", {"stats": category_suggestion_stats(actor=request.user)})
