"""The public policy Q&A page on the board: residents search the answers in force for their community.

No login. Each search is counted per client address (core.ratelimit, `MINQING_API_RATES["policy_search"]`,
default 30 a minute): the ranking runs in Python, so an unthrottled crawler could keep a worker busy."""
from django.shortcuts import render

from minqing.core.ratelimit import DEFAULT_RATES, client_address, rate_hit
from minqing.core.errors import RateLimited
from minqing.disclosure.selectors import public_community_get

from .models import PolicyAnswer
from .selectors import policy_answers_for

DEFAULT_RATES.setdefault("policy_search", "30/m")
RESULTS = 10


def public_policy(request, code):
    community = public_community_get(code=code)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        allowed, _wait = rate_hit("policy_search", client_address(request))
        if not allowed:
            raise RateLimited()
        found = [answer for answer, _score in policy_answers_for(place_code=community.code, text=query, k=RESULTS,
                                                                  public_only=True)]
    else:
        from minqing.places.codes import lineage

        found = list(PolicyAnswer.objects.current().applying_to(lineage(community.code)).filter(is_public=True)
                     .order_by("topic", "question")[:50])
    return render(request, "training/public_policy.html", {"community": community, "query": query, "answers": found})
