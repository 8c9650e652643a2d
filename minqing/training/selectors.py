"""Every read of the training app, given the actor.

Scope: what belongs to a place is visible to anyone holding training.view at that place, below it, or
above it: a street's session or policy answer concerns every community under the street, so a community
worker sees it; a community's quiz results are seen by the street. Out of scope reads as not found.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from minqing.accounts.models import Role, RoleAssignment
from minqing.accounts.policy import ALL, has_perm_anywhere, place_codes, roles_of, scope_q
from minqing.core.errors import NotFound
from minqing.places.codes import community_code, lineage

from .models import Choice, PolicyAnswer, PolicySuggestionLog, Question, Quiz, QuizAttempt, TrainingSession
from .search import MIN_SCORE, index_for

SUGGESTIONS = 3
# A demand is long and often about no policy at all (a broken lamp): suggest only answers that share a
# bigram with it and score at least this (docs/training.md, "On the demand page").
DEMAND_MIN_SCORE = 0.18


def _related_places_q(actor, field: str) -> Q:
    """Rows whose place (through `field`) is in, under or above the actor's training.view places."""
    codes = place_codes(actor, "training.view")
    if codes is ALL:
        return Q()
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{f"{field}__startswith": code}) | Q(**{f"{field}__in": lineage(code)})
    return condition


def training_session_list(*, actor) -> QuerySet[TrainingSession]:
    return (TrainingSession.objects.filter(_related_places_q(actor, "place__code")).select_related("place")
            .annotate(present_count=Count("attendances", filter=Q(attendances__present=True))))


def training_session_get(*, actor, session_id: int) -> TrainingSession:
    session = training_session_list(actor=actor).filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    return session


def quiz_list(*, actor) -> QuerySet[Quiz]:
    return (Quiz.objects.filter(_related_places_q(actor, "place__code")).select_related("place", "session")
            .annotate(question_count=Count("questions", distinct=True)))


def quiz_get(*, actor, quiz_id: int) -> Quiz:
    quiz = (Quiz.objects.filter(_related_places_q(actor, "place__code")).select_related("place")
            .prefetch_related(Prefetch("questions", Question.objects.prefetch_related(
                Prefetch("choices", Choice.objects.order_by("id"))))).filter(pk=quiz_id).first())
    if quiz is None:
        raise NotFound()
    return quiz


def reads_others_scores(actor) -> bool:
    """Organisers (training.change) and supervisors read everyone's scores in scope; a grid worker or
    building head who only takes quizzes sees their own."""
    return has_perm_anywhere(actor, "training.change") or Role.SUPERVISOR in roles_of(actor)


def quiz_attempts_visible(*, actor) -> QuerySet[QuizAttempt]:
    attempts = QuizAttempt.objects.filter(scope_q(actor, "training.view", "place_code"))
    return attempts if reads_others_scores(actor) else attempts.filter(user=actor)


@dataclass(frozen=True)
class CommunityScore:
    code: str
    name: str
    people: int
    passed: int
    average: float


def quiz_scores(*, actor, quiz: Quiz) -> dict:
    """Best attempt per person (in the actor's scope) and per community: people, passed, mean best score."""
    best: dict[int, dict] = {}
    rows = (quiz_attempts_visible(actor=actor).filter(quiz=quiz).select_related("user")
            .order_by("user_id", "-score", "-created_at"))
    for attempt in rows:
        best.setdefault(attempt.user_id, {"user": attempt.user, "score": attempt.score, "passed": attempt.passed,
                                          "place_code": attempt.place_code, "at": attempt.created_at})
    by_community: dict[str, list] = defaultdict(list)
    for row in best.values():
        by_community[community_code(row["place_code"]) or row["place_code"]].append(row)
    from minqing.places.models import Place

    names = dict(Place.objects.filter(code__in=by_community).values_list("code", "name"))
    communities = [CommunityScore(code, names.get(code, code), len(rows), sum(r["passed"] for r in rows),
                                  round(sum(r["score"] for r in rows) / len(rows), 1))
                   for code, rows in sorted(by_community.items())]
    return {"people": sorted(best.values(), key=lambda r: (-r["score"], r["user"].pk)), "communities": communities}


def quiz_missing(*, actor, quiz: Quiz) -> list[dict]:
    """Who holds a role the quiz is required for, at a place in the quiz's place and in the actor's scope,
    and has not passed it yet."""
    if not quiz.required_roles or not reads_others_scores(actor):
        return []
    grants = (RoleAssignment.objects.filter(is_active=True, user__is_active=True, role__in=quiz.required_roles,
                                            place__code__startswith=quiz.place.code)
              .filter(scope_q(actor, "training.view", "place__code")).select_related("user", "place"))
    passed = set(QuizAttempt.objects.filter(quiz=quiz, passed=True).values_list("user_id", flat=True))
    seen, missing = set(), []
    for grant in grants.order_by("place__code", "user__username"):
        if grant.user_id in passed or grant.user_id in seen:
            continue
        seen.add(grant.user_id)
        missing.append({"user": grant.user, "role": grant.get_role_display(), "place": grant.place})
    return missing


def my_quizzes(*, actor) -> list[dict]:
    """Open quizzes the actor may take, with their best score so far."""
    quizzes = list(quiz_list(actor=actor).filter(is_open=True)[:100])
    best = dict(QuizAttempt.objects.filter(user=actor, quiz__in=quizzes).values("quiz_id")
                .annotate(best=Max("score")).values_list("quiz_id", "best"))
    return [{"quiz": q, "best": best.get(q.pk)} for q in quizzes]


# --- policy answers -------------------------------------------------------------------------------------

def policy_answer_list(*, actor, query: str = "", topic: str = "", expired: bool | None = None) -> QuerySet:
    answers = (PolicyAnswer.objects.filter(_related_places_q(actor, "place__code")).select_related("place", "owner")
               .prefetch_related("applies_to"))
    if topic:
        answers = answers.filter(topic=topic)
    today = timezone.localdate()
    if expired is True:
        answers = answers.expired(today)
    elif expired is False:
        answers = answers.current(today)
    if query.strip():
        ids = [hit.id for hit in _index().rank(query, k=50, allowed=set(answers.values_list("pk", flat=True)))]
        answers = sorted(answers.filter(pk__in=ids), key=lambda a: ids.index(a.pk))
    return answers


def policy_answer_get(*, actor, answer_id: int) -> PolicyAnswer:
    answer = (PolicyAnswer.objects.filter(_related_places_q(actor, "place__code")).select_related("place", "owner")
              .filter(pk=answer_id).first())
    if answer is None:
        raise NotFound()
    return answer


def _index():
    figures = PolicyAnswer.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    fingerprint = (figures["n"], figures["last"], figures["top"])
    return index_for(lambda: list(PolicyAnswer.objects.values("id", "question", "answer")), fingerprint)


def policy_answers_for(*, place_code: str, text: str, k: int = SUGGESTIONS, public_only: bool = False,
                       on: datetime.date | None = None, min_score: float = MIN_SCORE,
                       shared_bigram: bool = False) -> list[tuple[PolicyAnswer, float]]:
    """The k answers in force that apply to `place_code` (or above it), most relevant to `text` first."""
    eligible = PolicyAnswer.objects.current(on).applying_to(lineage(place_code))
    if public_only:
        eligible = eligible.filter(is_public=True)
    hits = _index().rank(text, k=k, allowed=set(eligible.values_list("pk", flat=True)), min_score=min_score,
                         shared_bigram=shared_bigram)
    found = PolicyAnswer.objects.in_bulk([h.id for h in hits])
    return [(found[h.id], h.score) for h in hits if h.id in found]


def policy_suggestions_for_appeal(*, actor, appeal, draft: str = "") -> list[tuple[PolicyAnswer, float]]:
    """For a demand the actor may see (appeal_get did the check): its title and text, plus the draft."""
    from minqing.accounts.policy import can

    if not can(actor, "training.view", appeal.place.code):
        return []
    return policy_answers_for(place_code=appeal.place.code, text=f"{appeal.title} {appeal.text} {draft}",
                              min_score=DEMAND_MIN_SCORE, shared_bigram=True)


def policy_suggestion_stats(*, actor, recent: int = 50) -> dict:
    """Accuracy in use: of the demands where answers were suggested, the share where the worker inserted
    one, and where they inserted the first-ranked one."""
    logs = PolicySuggestionLog.objects.filter(scope_q(actor, "training.view", "place_code"))
    rows = list(logs.values_list("shown", "used"))
    total = len(rows)
    used = sum(bool(u) for _s, u in rows)
    top = sum(bool(s) and s[0] in u for s, u in rows)
    return {"total": total, "used": used, "top_used": top,
            "used_share": used / total if total else None, "top_share": top / total if total else None,
            "recent": list(logs.select_related("appeal", "actor")[:recent])}
