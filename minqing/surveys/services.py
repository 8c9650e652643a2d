"""Every write of the surveys app: build and publish a survey (staff), answer it (residents, no
login), close it, and rate a named staff member from a demand's tracking page.

One audit row per write. Answering locks the survey row, so an answer and an edit of the questions
cannot cross (the edit sees the answer and refuses), and the unique constraint (survey, respondent
hash) settles two answers from one person arriving together.
"""
from __future__ import annotations

import datetime
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.crypto import lookup_hash
from minqing.core.errors import Conflict, NotFound, ValidationError
from minqing.core.transitions import transition
from minqing.places.codes import community_code

from .models import (SURVEY, Answer, Question, QuestionKind, Rating, RatingSource, Response, StaffRating, Survey,
                     SurveyStatus, SurveyVerb)
from .staff import staff_choices

PUBLIC = "居民（公开页面）"  # the audit label of writes made on the public pages, without a login
PHONE_RE = re.compile(r"^1\d{10}$")
MAX_TEXT = 1000


def respondent_hash(survey: Survey, phone: str) -> str:
    """Keyed hash of the phone with the survey's own salt: unlinkable across surveys, never reversible."""
    return lookup_hash(f"survey:{survey.salt}:{phone}")


# --- building ---------------------------------------------------------------------------------

@transaction.atomic
def survey_create(*, actor, place, title: str, closes_at: datetime.datetime, intro: str = "") -> Survey:
    ensure_can(actor, "assessment.change", place.code)
    if not title.strip():
        raise ValidationError(fields={"title": [_("请填写标题。")]})
    if closes_at <= timezone.now():
        raise ValidationError(fields={"closes_at": [_("截止时间须晚于现在。")]})
    return object_create(Survey(place=place, place_code=place.code, title=title.strip(), intro=intro.strip(),
                                closes_at=closes_at, public_token=secrets.token_urlsafe(12),
                                salt=secrets.token_hex(16), created_by=actor),
                         actor=actor, action="surveys.survey.create", fields=("place", "title", "intro", "closes_at"))


def _lock_editable(actor, survey_id: int, version: int | None = None) -> Survey:
    survey = lock_for_change(Survey.objects.all(), pk=survey_id, expected_version=version)
    ensure_can(actor, "assessment.change", survey.place_code)
    if survey.responses.exists():
        raise ValidationError(_("已有居民作答，问卷不能再修改；如需调整，请新建一份问卷。"), code="survey_answered")
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("问卷已结束，不能再修改。"), code="survey_closed")
    return survey


@transaction.atomic
def survey_update(*, actor, survey_id: int, version: int | None = None, **changes) -> Survey:
    survey = _lock_editable(actor, survey_id, version)
    if "closes_at" in changes and changes["closes_at"] <= timezone.now():
        raise ValidationError(fields={"closes_at": [_("截止时间须晚于现在。")]})
    object_update(survey, actor=actor, action="surveys.survey.change",
                  changes={k: v for k, v in changes.items() if k in ("title", "intro", "closes_at")})
    return survey


@transaction.atomic
def question_add(*, actor, survey_id: int, kind: str, text: str, choices: list[str] | None = None,
                 required: bool = True, staff=None) -> Question:
    survey = _lock_editable(actor, survey_id)
    choices = [c.strip() for c in (choices or []) if c.strip()]
    errors = {}
    if not text.strip():
        errors["text"] = [_("请填写题目。")]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        errors["choices"] = [_("选择题至少要有两个选项。")]
    if kind == QuestionKind.STAFF and (staff is None or not staff_choices(survey.place_code).filter(pk=staff.pk).exists()):
        errors["staff"] = [_("请选择本范围内的干部。")]
    if kind not in QuestionKind.values:
        errors["kind"] = [_("请选择题型。")]
    if errors:
        raise ValidationError(fields=errors)
    position = (survey.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return object_create(Question(survey=survey, position=position, kind=kind, text=text.strip(),
                                  choices=choices if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
                                  required=required, staff=staff if kind == QuestionKind.STAFF else None),
                         actor=actor, action="surveys.question.add")


@transaction.atomic
def question_remove(*, actor, question_id: int) -> None:
    question = Question.objects.select_related("survey").filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    _lock_editable(actor, question.survey_id)
    audit_record(actor=actor, action="surveys.question.remove", obj=question,
                 changes={"text": [question.text, None]})
    question.delete()


@transaction.atomic
def survey_publish(*, actor, survey_id: int) -> Survey:
    survey = lock_for_change(Survey.objects.all(), pk=survey_id)
    ensure_can(actor, "assessment.change", survey.place_code)
    if not survey.questions.exists():
        raise ValidationError(_("问卷还没有题目。"))
    if survey.closes_at <= timezone.now():
        raise ValidationError(fields={"closes_at": [_("截止时间已过，请先修改截止时间。")]})
    transition(survey, table=SURVEY, verb=SurveyVerb.PUBLISH, actor=actor)
    return survey


@transaction.atomic
def survey_close(*, actor, survey_id: int, now: datetime.datetime | None = None) -> Survey:
    """Stop collecting before the deadline: the deadline becomes now, so pages say when it closed."""
    survey = lock_for_change(Survey.objects.all(), pk=survey_id)
    ensure_can(actor, "assessment.change", survey.place_code)
    now = now or timezone.now()
    transition(survey, table=SURVEY, verb=SurveyVerb.CLOSE, actor=actor,
               changes={"closes_at": min(now, survey.closes_at)})
    return survey


# --- answering (public) -----------------------------------------------------------------------

def is_accepting(survey: Survey, now: datetime.datetime | None = None) -> bool:
    return survey.status == SurveyStatus.OPEN and (now or timezone.now()) < survey.closes_at


@transaction.atomic
def survey_answer(*, survey_id: int, phone: str, answers: dict, now: datetime.datetime | None = None) -> Response:
    """A resident answers. `answers` maps question id → the raw input: an option index (single), a list
    of them (multiple), 1–5 (scale), text, or for a staff question a (rating, reason) pair."""
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if not PHONE_RE.match(phone):
        raise ValidationError(fields={"phone": [_("请填写 11 位手机号（只用于确认每人答一次，不会保存）。")]})
    now = now or timezone.now()
    survey = lock_for_change(Survey.objects.all(), pk=survey_id)
    if not is_accepting(survey, now):
        raise ValidationError(_("问卷已结束，感谢您的关注。"), code="survey_closed")
    digest = respondent_hash(survey, phone)
    if survey.responses.filter(respondent_hash=digest).exists():
        raise Conflict(_("这个手机号已经答过本问卷，每人只能答一次，感谢参与。"), code="already_answered")
    questions = list(survey.questions.all())
    rows = _check_answers(questions, answers)
    try:
        with transaction.atomic():
            response = object_create(Response(survey=survey, place_code=survey.place_code, respondent_hash=digest,
                                              submitted_at=now),
                                     actor=PUBLIC, action="surveys.response.submit", fields=("survey",),
                                     payload={"answers": len(rows)})
    except IntegrityError as exc:
        raise Conflict(_("这个手机号已经答过本问卷，每人只能答一次，感谢参与。"), code="already_answered") from exc
    Answer.objects.bulk_create([Answer(response=response, **row) for row in rows])
    # A staff question's answer is also a rating of that person, read with the tracking pages' ones.
    StaffRating.objects.bulk_create([
        StaffRating(staff_id=row["question"].staff_id, place_code=survey.place_code, rating=row["choices"][0],
                    reason=row["text"], source=RatingSource.SURVEY, response=response, rated_at=now)
        for row in rows if row["question"].kind == QuestionKind.STAFF])
    return response


def _check_answers(questions, answers: dict) -> list[dict]:
    errors, rows = {}, []
    for q in questions:
        raw = answers.get(q.pk)
        try:
            row = _one_answer(q, raw)
        except InvalidAnswer as exc:
            errors[f"q_{q.pk}"] = [str(exc)]
            continue
        except (TypeError, ValueError):  # not even the shape of an answer (a hand-made request)
            errors[f"q_{q.pk}"] = [_("请按题目要求作答。")]
            continue
        if row is None and q.required:
            errors[f"q_{q.pk}"] = [_("此题必答。")]
        elif row is not None:
            rows.append({"question": q, **row})
    if errors:
        raise ValidationError(fields=errors)
    return rows


class InvalidAnswer(ValueError):
    """An answer of the right shape that breaks the question's rule; its text is shown to the resident."""


def _one_answer(q: Question, raw) -> dict | None:
    if raw in (None, "", [], ()):
        return None
    if q.kind == QuestionKind.SINGLE:
        index = int(raw)
        if not 0 <= index < len(q.choices):
            raise InvalidAnswer(_("请选择一个选项。"))
        return {"choices": [index]}
    if q.kind == QuestionKind.MULTIPLE:
        indexes = sorted({int(i) for i in raw})
        if any(not 0 <= i < len(q.choices) for i in indexes):
            raise InvalidAnswer(_("请从选项中选择。"))
        return {"choices": indexes}
    if q.kind == QuestionKind.SCALE:
        value = int(raw)
        if not 1 <= value <= 5:
            raise InvalidAnswer(_("请打 1 到 5 分。"))
        return {"value": value}
    if q.kind == QuestionKind.STAFF:
        rating, reason = raw
        if not rating:
            return None
        if rating not in Rating.values:
            raise InvalidAnswer(_("请选择满意、基本满意或不满意。"))
        if rating == Rating.DISSATISFIED and not (reason or "").strip():
            raise InvalidAnswer(_("选择不满意时，请写一句理由，便于改进。"))
        return {"choices": [rating], "text": (reason or "").strip()[:300]}
    text = str(raw).strip()
    return {"text": text[:MAX_TEXT]} if text else None


# --- rating from a demand's tracking page -------------------------------------------------------

@transaction.atomic
def staff_rate_from_appeal(*, receipt_code: str, token: str, rating: str, reason: str = "",
                           now: datetime.datetime | None = None) -> StaffRating:
    """The resident rates the staff member who handled their demand, once per demand."""
    from minqing.appeals.selectors import appeal_get_by_token

    appeal = appeal_get_by_token(receipt_code=receipt_code, token=token)
    return appeal_rating_record(appeal_id=appeal.pk, rating=rating, reason=reason, now=now)


@transaction.atomic
def appeal_rating_record(*, appeal_id: int, rating: str, reason: str = "",
                         now: datetime.datetime | None = None) -> StaffRating:
    """Record the rating of a demand's handler once the caller has proved it is the resident
    (the tracking link above; the demo's history, which knows its own residents)."""
    from minqing.appeals.models import Appeal

    appeal = lock_for_change(Appeal.objects.all(), pk=appeal_id)
    if appeal.handler_user_id is None or appeal.replied_at is None:
        raise ValidationError(_("诉求答复后才能评价承办人员。"), code="not_replied")
    if rating not in Rating.values:
        raise ValidationError(fields={"rating": [_("请选择满意、基本满意或不满意。")]})
    if rating == Rating.DISSATISFIED and not reason.strip():
        raise ValidationError(fields={"reason": [_("选择不满意时，请写一句理由，便于改进。")]})
    if StaffRating.objects.filter(appeal=appeal, staff_id=appeal.handler_user_id).exists():
        raise Conflict(_("您已评价过本诉求的承办人员，感谢参与。"), code="already_rated")
    place_code = community_code(appeal.place_code) or appeal.place_code
    return object_create(StaffRating(staff_id=appeal.handler_user_id, place_code=place_code,
                                     rating=rating, reason=reason.strip()[:300], source=RatingSource.APPEAL,
                                     appeal=appeal, rated_at=now or timezone.now()),
                         actor=PUBLIC, action="surveys.rating.create", fields=("staff", "rating", "reason", "source"))
