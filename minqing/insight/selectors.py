"""Reads of the insight app over demands, always through the appeals selectors so scope applies."""
from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import timezone

from . import communitymodel, hotissues, similarity
from .classifier import CategoryModel, Explanation

SIMILAR_CANDIDATES = 2000  # newest visible demands compared; older ones rarely matter while reading one
NOT_A_MATTER = ("rejected", "merged")  # rejected or merged demands would count a matter twice


@lru_cache(maxsize=1)
def _model() -> CategoryModel:
    return communitymodel.current_model()


def category_suggestions(*, text: str, k: int = 3) -> list[Explanation]:
    """Top k categories with confidence and the words behind each, for the intake form."""
    return _model().explain(text, k=k)


def hot_issue_list(*, actor, days: int = 30, top: int = 10) -> list[hotissues.HotIssue]:
    """Open and recent demands the actor may see, grouped into issues, hottest first."""
    from minqing.appeals.selectors import appeal_visible

    since = timezone.now() - datetime.timedelta(days=days)
    appeals = (appeal_visible(actor=actor).filter(submitted_at__gte=since).exclude(status__in=NOT_A_MATTER)
               .only("id", "title", "text", "submitted_at", "phone_hash", "resident_id"))
    messages = [hotissues.HotMessage(id=str(a.pk), author=_person(a), title=a.title, body=a.text,
                                     time=timezone.localtime(a.submitted_at).replace(tzinfo=None))
                for a in appeals]
    return hotissues.hot_issues(messages, now=timezone.localtime().replace(tzinfo=None), top=top)


def appeal_similar(*, actor, appeal, k: int = 5) -> list[similarity.Neighbour]:
    """The past demands the actor may see that read most like `appeal` (likely duplicates flagged)."""
    from minqing.appeals.selectors import appeal_visible

    candidates = (appeal_visible(actor=actor).exclude(pk=appeal.pk).order_by("-submitted_at")
                  .values("id", "title", "text")[:SIMILAR_CANDIDATES])
    corpus = [{"id": c["id"], "text": f"{c['title']} {c['text']}"} for c in candidates]
    return similarity.nearest(f"{appeal.title} {appeal.text}", corpus, k=k)


def _person(appeal) -> str:
    """Who raised it, without personal data: the phone's lookup hash, else the resident, else the demand."""
    if appeal.phone_hash:
        return appeal.phone_hash
    return f"resident:{appeal.resident_id}" if appeal.resident_id else f"appeal:{appeal.pk}"
