"""Reads of the insight app over demands, always through the appeals selectors so scope applies."""
from __future__ import annotations

import datetime
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from minqing.core.ttlcache import TtlCache
from minqing.places.codes import prefix_at
from minqing.places.models import PlaceKind

from . import communitymodel, hotissues, similarity
from .classifier import BASELINE_PATH, CategoryModel, Explanation
from .handlers import suggest_handlers
from .models import CategorySuggestionLog
from .taxonomymap import to_default
from .textnorm import normalise

SIMILAR_CANDIDATES = 2000  # newest visible demands compared; older ones rarely matter while reading one
SIMILAR_CANDIDATES_SECONDS = 60  # how long a scope's newest demands are kept (what is filed since is always read)
NOT_A_MATTER = ("rejected", "merged")  # rejected or merged demands would count a matter twice
# What a similar demand's row shows (appeals/_similar.html, appeal_may_recur_from): not its ~50 columns
SIMILAR_ROW_FIELDS = ("receipt_code", "title", "status", "outcome", "reply_text", "satisfaction", "matter",
                      "closed_at", "handler_unit__name", "handler_user__username", "handler_user__display_name")
HANDLER_DAYS = 365  # "this year": the dispatches a handler suggestion rests on


@lru_cache(maxsize=2)
def _load(path: str, mtime: float) -> CategoryModel:
    return CategoryModel.load(Path(path))


def category_model() -> tuple[CategoryModel, str]:
    """(model, its name): the community's own once `insight_train` wrote one, else the baseline. Cached per
    file and modification time, so a retrained model is picked up without a restart."""
    community = communitymodel.community_path()
    path, name = (community, "community") if community.exists() else (BASELINE_PATH, "baseline")
    return _load(str(path), path.stat().st_mtime), name


def _model() -> CategoryModel:
    return category_model()[0]


def category_suggestions(*, text: str, k: int = 3) -> list[Explanation]:
    """Top k model classes with confidence and the words behind each (model class names, unmapped)."""
    return _model().explain(text, k=k)


@dataclass(frozen=True)
class CategorySuggestion:
    category: object  # an appeals Category (top level)
    confidence: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class IntakeSuggestions:
    model_name: str
    items: list[CategorySuggestion]


def intake_category_suggestions(*, text: str, k: int = 3) -> IntakeSuggestions:
    """The top k of the community's active top-level categories for a demand's text, with confidence and the
    words that drove each. Baseline classes are spread over our categories by the shares in taxonomymap
    (what maps to one category adds up); a class naming no active category is dropped."""
    from minqing.appeals.taxonomy import Category

    model, name = category_model()
    if len((text or "").strip()) < 2:
        return IntakeSuggestions(name, [])
    inside_words = _word_parts(text)
    merged: dict[str, list] = {}
    for e in model.explain(text, k=len(model.classes), n_terms=10):
        # only bigrams inside a word: single characters and bigrams across two words ("栋暖") explain nothing
        words = [t.strip() for t, _w in e.terms if t.strip() in inside_words]
        for target, share in (to_default(e.category, text) if name == "baseline" else ((e.category, 1.0),)):
            entry = merged.setdefault(target, [0.0, []])
            entry[0] += e.confidence * share
            entry[1].extend(t for t in words if t and t not in entry[1])
    tops = {c.name: c for c in Category.objects.filter(parent__isnull=True, is_active=True, name__in=merged)
            .prefetch_related("children")}
    ranked = sorted(((n, v) for n, v in merged.items() if n in tops), key=lambda kv: -kv[1][0])[:k]
    return IntakeSuggestions(name, [CategorySuggestion(tops[n], round(conf, 3), tuple(terms[:5]))
                                    for n, (conf, terms) in ranked])


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
    return [neighbour for neighbour, _row in _visible_neighbours(actor, appeal, k)]


def _visible_neighbours(actor, appeal, k: int) -> list[tuple[similarity.Neighbour, object]]:
    """(neighbour, its demand row) for the k nearest, each read through `appeal_visible` again: the kept
    candidates may hold a demand that left the actor's scope within the last minute (`_candidate_ids`)."""
    from minqing.appeals.selectors import appeal_visible

    found = _nearest(actor, appeal, k)
    rows = appeal_visible(actor=actor).select_related("handler_unit", "handler_user").only(
        *SIMILAR_ROW_FIELDS).in_bulk([n.id for n in found])
    return [(n, rows[n.id]) for n in found if n.id in rows]


def _nearest(actor, appeal, k: int) -> list[similarity.Neighbour]:
    from minqing.appeals.models import Appeal

    ids = _candidate_ids(actor)

    def texts_of(wanted: list) -> dict:  # only demands with no stored vector yet, already scoped above
        texts = {}
        for start in range(0, len(wanted), 500):
            texts.update((pk, f"{title} {text}") for pk, title, text in Appeal.objects.filter(
                pk__in=wanted[start:start + 500]).values_list("id", "title", "text"))
        return texts

    # known by id alone: a demand's id is never given to another (only a rolled-back insert frees one, and
    # nothing uncommitted is ever vectorised; tests that roll back start from a fresh store)
    # the demand itself stays among the candidates and is dropped from the ranking: the candidates are then
    # the same for every demand of the scope, and their stored rows stay packed between views (similarity)
    found = similarity.stored_vectors.nearest_ids(f"{appeal.title} {appeal.text}", ids, texts_of, k=k + 1)
    return [n for n in found if n.id != appeal.pk][:k]


@dataclass(frozen=True)
class _Candidates:
    ids: array  # newest first; 8 bytes an id (kept per scope: a few hundred scopes a city, ~16 KB each)
    max_id: int


_candidates = TtlCache("similar-candidates", ttl=SIMILAR_CANDIDATES_SECONDS)


def _candidate_ids(actor) -> list:
    """The newest SIMILAR_CANDIDATES demands the actor may see, newest first.

    Ordering a scope's demands by time is the demand page's largest database cost at city scale (a
    community's ~36,000 demands at 2,000,000, sorted for their newest 2,000 on every view), and the answer
    hardly moves between two views, so it is kept per scope (the scope's condition is the key: everyone
    who sees the same demands shares it) for a minute in this process. What was filed since is read on
    every view (ids above the newest kept: a primary-key range, a few rows), so a duplicate filed a moment
    ago is compared at once. A demand that left the scope within the minute may stay a candidate; the
    neighbours are read through `appeal_visible` again (`_visible_neighbours`), so it is never returned."""
    from minqing.appeals.selectors import appeal_scope_q, appeal_visible

    visible = appeal_visible(actor=actor)

    read_now = []

    def newest() -> _Candidates:
        ids = array("q", visible.order_by("-submitted_at").values_list("id", flat=True)[:SIMILAR_CANDIDATES])
        read_now.append(True)
        return _Candidates(ids, max(ids, default=0))

    kept = _candidates.get(appeal_scope_q(actor), newest)
    filed_since = [] if read_now else list(visible.filter(pk__gt=kept.max_id).order_by("-submitted_at")
                                           .values_list("id", flat=True)[:SIMILAR_CANDIDATES])
    return [*filed_since, *kept.ids][:SIMILAR_CANDIDATES]


def _person(appeal) -> str:
    """Who raised it, without personal data: the phone's lookup hash, else the resident, else the demand."""
    if appeal.phone_hash:
        return appeal.phone_hash
    return f"resident:{appeal.resident_id}" if appeal.resident_id else f"appeal:{appeal.pk}"


def _word_parts(text: str) -> set[str]:
    """Every character bigram that lies inside one jieba word of the text (words of two or more characters)."""
    import jieba

    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO
    return {word[i:i + 2] for word in jieba.lcut(normalise(text)) if len(word) >= 2 for i in range(len(word) - 1)}


def appeal_similar_list(*, actor, appeal, k: int = 5) -> list[dict]:
    """The similar past demands as rows for the demand page: the demand (how it was solved and rated), the
    cosine, whether it is a likely duplicate and whether it is already on this demand's matter. Only demands
    the actor may see are compared."""
    from minqing.appeals.selectors import appeal_may_recur_from

    matter = appeal.matter_id
    return [{"appeal": row, "score": n.score, "likely_duplicate": n.likely_duplicate,
             "same_matter": bool(matter) and matter in (row.pk, row.matter_id),
             "may_recur": appeal_may_recur_from(appeal, row)}
            for n, row in _visible_neighbours(actor, appeal, k)]


@dataclass(frozen=True)
class HandlerEvidence:
    unit: object | None  # a PartnerUnit, or
    user: object | None  # a worker
    same_place: int  # this handler's dispatches of the category in the community
    place_total: int  # all dispatches of the category in the community
    same_category: int  # this handler's dispatches of the category anywhere the actor sees
    satisfied: int
    example_ids: tuple

    @property
    def label(self) -> str:
        return self.unit.name if self.unit else (self.user.get_full_name() or self.user.username)


def appeal_handler_suggestions(*, actor, appeal, k: int = 3) -> list[HandlerEvidence]:
    """Who usually handles this demand's category (the subcategory, e.g. 供暖; a top category with all its
    children) in its community, from the past year's dispatches the actor may see, with the counts."""
    from minqing.accounts.models import PartnerUnit, User
    from minqing.appeals.selectors import appeal_visible

    if appeal.category_id is None:
        return []
    top = appeal.category_id
    categories = [top] if appeal.category.parent_id else _category_ids(top)  # 供暖 alone; 水电暖气 with children
    since = timezone.now() - datetime.timedelta(days=HANDLER_DAYS)
    rows = (appeal_visible(actor=actor).exclude(pk=appeal.pk)
            .filter(dispatched_at__gte=since, category__in=categories)
            .values("id", "handler_unit_id", "handler_user_id", "place_code", "satisfaction"))
    community = prefix_at(appeal.place_code, PlaceKind.COMMUNITY)
    dispatches = [{"id": r["id"], "category": top, "place_code": prefix_at(r["place_code"], PlaceKind.COMMUNITY),
                   "satisfaction": r["satisfaction"],
                   "handler": ("unit", r["handler_unit_id"]) if r["handler_unit_id"]
                   else (("user", r["handler_user_id"]) if r["handler_user_id"] else None)} for r in rows]
    ranked = suggest_handlers(category=top, place_code=community, dispatches=dispatches, k=k)
    place_total = sum(d["place_code"] == community and d["handler"] is not None for d in dispatches)
    units = PartnerUnit.objects.in_bulk([s.handler[1] for s in ranked if s.handler[0] == "unit"])
    users = User.objects.in_bulk([s.handler[1] for s in ranked if s.handler[0] == "user"])
    return [HandlerEvidence(units.get(s.handler[1]) if s.handler[0] == "unit" else None,
                            users.get(s.handler[1]) if s.handler[0] == "user" else None,
                            s.same_place, place_total, s.same_category, s.satisfied, s.example_ids)
            for s in ranked if (units if s.handler[0] == "unit" else users).get(s.handler[1])]


def _category_ids(top_id: int) -> list[int]:
    from minqing.appeals.taxonomy import Category

    return [top_id, *Category.objects.filter(parent_id=top_id).values_list("pk", flat=True)]


def hot_issue_rows(*, actor, days: int = 30, top: int = 10) -> list[dict]:
    """Hot issues for the page: each with its demands (receipt code, title, status) in one extra query."""
    from minqing.appeals.selectors import appeal_visible

    issues = hot_issue_list(actor=actor, days=days, top=top)
    ids = [int(m.id) for issue in issues for m in issue.messages]
    appeals = (appeal_visible(actor=actor).select_related("place")
               .only("id", "receipt_code", "title", "status", "place_code", "place__name").in_bulk(ids))
    rows = []
    for rank, issue in enumerate(issues, start=1):
        members = [appeals[int(m.id)] for m in issue.messages if int(m.id) in appeals]
        where = Counter(a.place.name for a in members)  # the place tree's names, beside names found in the text
        rows.append({"issue": issue, "rank": rank, "appeals": members,
                     "place_names": [name for name, _n in where.most_common(3)]})
    return rows


def category_suggestion_stats(*, actor, recent: int = 50) -> dict:
    """Accuracy in use over the logs of demands the actor may see: overall and per model, and the latest."""
    from minqing.appeals.selectors import appeal_visible

    from .services import category_suggestion_accuracy

    logs = CategorySuggestionLog.objects.filter(appeal__in=appeal_visible(actor=actor).values("pk"))
    by_model = {name: category_suggestion_accuracy(logs.filter(model_name=name))
                for name in logs.values_list("model_name", flat=True).distinct().order_by("model_name")}
    return {"overall": category_suggestion_accuracy(logs), "by_model": by_model,
            "recent": list(logs.select_related("appeal", "chosen_by")[:recent])}
