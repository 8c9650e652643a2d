"""The policy-answer panel on a demand's reply form, so the demand page needs one include and no view change."""
from django import template

from ..selectors import policy_suggestions_for_appeal

register = template.Library()


@register.inclusion_tag("training/_policy_suggestions.html", takes_context=True)
def policy_suggestions(context, appeal):
    """The 2–3 answers in force for the demand's place, by its title and text (without JavaScript the worker
    still sees them; the script refreshes them from the draft and records inserts)."""
    request = context["request"]
    return {"appeal": appeal, "suggestions": policy_suggestions_for_appeal(actor=request.user, appeal=appeal),
            "csrf_token": context.get("csrf_token")}
