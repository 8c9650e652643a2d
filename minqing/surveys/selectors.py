"""Every read of the surveys app, given the acting user, and `survey_scores` — the 民评官 reading
the assessment app builds on."""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from minqing.accounts.policy import ensure_can, scope_q
from minqing.core.errors import NotFound
from minqing.places.codes import community_code

from .models import RATING_SCORES, Answer, QuestionKind, Rating, StaffRating, Survey, SurveyStatus


def survey_list(*, actor):
    return (Survey.objects.filter(scope_q(actor, "assessment.view", field="place_code"))
            .select_related("place").annotate(answered=Count("responses")))


def survey_get(*, actor, survey_id: int) -> Survey:
    survey = Survey.objects.select_related("place").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound()
    ensure_can(actor, "assessment.view", survey.place_code)
    return survey


def survey_questions(*, survey):
    return survey.questions.select_related("staff").order_by("position", "id")


def public_survey_get(*, token: str) -> Survey:
    """The survey behind a public link; drafts are not public."""
    survey = Survey.objects.select_related("place").filter(public_token=token).exclude(
        status=SurveyStatus.DRAFT).first()
    if survey is None:
        raise NotFound()
    return survey


def survey_results(*, survey) -> list[dict]:
    """Per question: option counts (choice), the 1–5 distribution and mean (scale), the rating counts
    (staff) or the texts (text). Four queries whatever the number of questions."""
    questions = list(survey_questions(survey=survey))
    answers = defaultdict(list)
    for answer in Answer.objects.filter(response__survey=survey).order_by("id"):
        answers[answer.question_id].append(answer)
    total = survey.responses.count()
    out = []
    for q in questions:
        rows = answers[q.pk]
        item = {"question": q, "answered": len(rows), "total": total}
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = Counter(i for a in rows for i in a.choices)
            item["counts"] = [(label, counts.get(i, 0)) for i, label in enumerate(q.choices)]
        elif q.kind == QuestionKind.SCALE:
            counts = Counter(a.value for a in rows)
            item["counts"] = [(f"{v}", counts.get(v, 0)) for v in range(1, 6)]
            item["mean"] = round(sum(a.value for a in rows) / len(rows), 2) if rows else None
        elif q.kind == QuestionKind.STAFF:
            counts = Counter(a.choices[0] for a in rows)
            item["counts"] = [(str(label), counts.get(value, 0)) for value, label in Rating.choices]
            item["reasons"] = [a.text for a in rows if a.text]
        else:
            item["texts"] = [a.text for a in rows]
        out.append(item)
    return out


def staff_rating_list(*, actor, staff_id: int | None = None):
    rows = StaffRating.objects.filter(scope_q(actor, "assessment.view", field="place_code")).select_related("staff")
    return rows.filter(staff_id=staff_id) if staff_id else rows


def survey_scores(place_code: str, start: datetime.date, end: datetime.date) -> dict:
    """The 民评官 scores under a place for answers and ratings given between two dates (inclusive).

    For the assessment app; the caller checks the actor's right to `place_code`.
    - communities: {community code: {"responses", "scale_answers", "scale_mean" (1–5),
      "score" (0–100 = (mean − 1) / 4 × 100)}} from the 1–5 questions of surveys held there;
      a street-wide survey counts under its own (street) code.
    - staff: {user id: {"satisfied", "basic", "dissatisfied", "ratings", "score" (0–100: 满意 100,
      基本满意 60, 不满意 0, averaged), "satisfied_share" ((满意 + 基本满意) / ratings)}},
      from survey questions and demand tracking pages alike.
    A score is None where nothing was answered.
    """
    lo, hi = _bounds(start, end)
    answers = (Answer.objects.filter(question__kind=QuestionKind.SCALE, response__place_code__startswith=place_code,
                                     response__submitted_at__gte=lo, response__submitted_at__lt=hi)
               .values_list("response__place_code", "response_id", "value"))
    communities = defaultdict(lambda: {"responses": set(), "scale_answers": 0, "total": 0})
    for code, response_id, value in answers:
        row = communities[community_code(code) or code]
        row["responses"].add(response_id)
        row["scale_answers"] += 1
        row["total"] += value
    out_c = {}
    for code, row in communities.items():
        mean = row["total"] / row["scale_answers"]
        out_c[code] = {"responses": len(row["responses"]), "scale_answers": row["scale_answers"],
                       "scale_mean": round(mean, 2), "score": round((mean - 1) / 4 * 100, 1)}
    ratings = (StaffRating.objects.filter(place_code__startswith=place_code, rated_at__gte=lo, rated_at__lt=hi)
               .values("staff_id").annotate(**{r: Count("id", filter=Q(rating=r)) for r in Rating.values}))
    out_s = {}
    for row in ratings:
        n = sum(row[r] for r in Rating.values)
        out_s[row["staff_id"]] = {
            "satisfied": row[Rating.SATISFIED], "basic": row[Rating.BASIC], "dissatisfied": row[Rating.DISSATISFIED],
            "ratings": n, "score": round(sum(row[r] * RATING_SCORES[r] for r in Rating.values) / n, 1) if n else None,
            "satisfied_share": round((row[Rating.SATISFIED] + row[Rating.BASIC]) / n, 4) if n else None}
    return {"communities": out_c, "staff": out_s}


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi
