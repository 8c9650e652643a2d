"""Every write of the training app: sessions, attendance, materials, quizzes and attempts.

Each service checks the actor's right at the place (accounts.policy), validates, saves and writes one audit
row (core.changes). Policy answers are in answers.py.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from minqing.accounts.models import Role
from minqing.accounts.policy import ensure_can, grants_of
from minqing.core.audit import audit_record
from minqing.core.changes import object_create
from minqing.core.errors import NotFound, PermissionDenied, ValidationError

from .models import Attendance, Choice, Material, Question, QuestionKind, Quiz, QuizAttempt, TrainingSession
from .uploads import material_kind

AUDIENCE_ROLES = (Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER, Role.BUILDING_HEAD,
                  Role.BRANCH_SECRETARY, Role.STREET_STAFF)


@dataclass(frozen=True)
class SessionInput:
    place: object
    topic: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    audience_roles: tuple[str, ...] = ()
    venue: str = ""
    description: str = ""


def training_session_create(*, actor, data: SessionInput) -> TrainingSession:
    ensure_can(actor, "training.change", data.place.code)
    errors = {}
    if not data.topic.strip():
        errors["topic"] = [_("请填写主题。")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("结束时间必须晚于开始时间。")]
    unknown = set(data.audience_roles) - set(AUDIENCE_ROLES)
    if unknown or not data.audience_roles:
        errors["audience_roles"] = [_("请选择培训对象的角色。")]
    if errors:
        raise ValidationError(fields=errors)
    with transaction.atomic():
        return object_create(TrainingSession(
            place=data.place, topic=data.topic.strip(), description=data.description, venue=data.venue,
            audience_roles=list(data.audience_roles), starts_at=data.starts_at, ends_at=data.ends_at,
            created_by=actor), actor=actor, action="training.session.create")


def training_attendance_record(*, actor, session: TrainingSession, users: list, present: bool = True) -> int:
    """Mark `users` present (or absent) at the session; one audit row listing who was marked."""
    ensure_can(actor, "training.change", session.place.code)
    with transaction.atomic():
        marked = []
        for user in users:
            row, created = Attendance.objects.get_or_create(session=session, user=user, defaults={"present": present})
            if created or row.present != present:
                if not created:
                    row.present = present
                    row.save(update_fields=["present", "updated_at"])
                marked.append(user.pk)
        if marked:
            audit_record(actor=actor, action="training.attendance.record", obj=session,
                         changes={"present" if present else "absent": [None, marked]})
    return len(marked)


def training_material_upload(*, actor, session: TrainingSession, title: str, upload) -> Material:
    """Store a PDF/Office file after checking its size and its bytes (uploads.material_kind)."""
    ensure_can(actor, "training.change", session.place.code)
    kind = material_kind(upload)
    with transaction.atomic():
        material = Material(session=session, title=(title or upload.name)[:200], kind=kind, size=upload.size,
                            uploaded_by=actor)
        material.file.save(f"{session.pk}-{kind}.{kind}", upload, save=False)
        return object_create(material, actor=actor, action="training.material.upload",
                             fields=("session", "title", "kind", "size"))


@dataclass(frozen=True)
class QuestionInput:
    text: str
    choices: tuple[tuple[str, bool], ...]  # (text, correct)
    kind: str = QuestionKind.SINGLE


def quiz_create(*, actor, place, title: str, questions: list[QuestionInput], pass_mark: int = 60,
                required_roles: tuple[str, ...] = (), session: TrainingSession | None = None) -> Quiz:
    ensure_can(actor, "training.change", place.code)
    _check_quiz(title, questions, pass_mark, required_roles)
    with transaction.atomic():
        quiz = object_create(Quiz(place=place, session=session, title=title.strip(), pass_mark=pass_mark,
                                  required_roles=list(required_roles), created_by=actor),
                             actor=actor, action="training.quiz.create",
                             payload={"questions": [q.text for q in questions]})
        for position, item in enumerate(questions):
            question = Question.objects.create(quiz=quiz, text=item.text, kind=item.kind, position=position)
            Choice.objects.bulk_create([Choice(question=question, text=t, correct=c) for t, c in item.choices])
    return quiz


def _check_quiz(title, questions, pass_mark, required_roles) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = [_("请填写名称。")]
    if not 0 < pass_mark <= 100:
        errors["pass_mark"] = [_("及格分应在 1 到 100 之间。")]
    if set(required_roles) - set(AUDIENCE_ROLES):
        errors["required_roles"] = [_("必修角色无效。")]
    if not questions:
        errors["questions"] = [_("至少要有一道题。")]
    for number, q in enumerate(questions, start=1):
        right = sum(correct for _text, correct in q.choices)
        if len(q.choices) < 2 or right == 0 or (q.kind == QuestionKind.SINGLE and right != 1):
            errors.setdefault("questions", []).append(
                _("第 %(n)d 题：至少两个选项，单选题恰好一个正确答案，多选题至少一个。") % {"n": number})
    if errors:
        raise ValidationError(fields=errors)


def quiz_score(quiz: Quiz, answers: dict[int, set[int]]) -> int:
    """0–100: each question counts the same; a multiple-choice question scores only when exactly right."""
    questions = list(quiz.questions.prefetch_related("choices"))
    if not questions:
        return 0
    right = sum({c.pk for c in q.choices.all() if c.correct} == set(answers.get(q.pk, ())) for q in questions)
    return round(100 * right / len(questions))


def quiz_attempt_submit(*, actor, quiz: Quiz, answers: dict[int, set[int]]) -> QuizAttempt:
    """Score the actor's answers (question id → chosen choice ids) and keep the attempt."""
    place_code = _taker_place(actor, quiz)
    if not quiz.is_open:
        raise PermissionDenied(_("该测验已关闭。"))
    _check_answers(quiz, answers)
    score = quiz_score(quiz, answers)
    with transaction.atomic():
        return object_create(QuizAttempt(
            quiz=quiz, user=actor, place_code=place_code, score=score, passed=score >= quiz.pass_mark,
            answers={str(k): sorted(v) for k, v in answers.items()}), actor=actor, action="training.quiz.attempt",
            fields=("quiz", "score", "passed"))


def _taker_place(actor, quiz: Quiz) -> str:
    """The actor's place inside the quiz's place (a grid worker's grid); NotFound when out of scope."""
    codes = sorted(g.place_code for g in grants_of(actor) if g.place_code.startswith(quiz.place.code)
                   or quiz.place.code.startswith(g.place_code))
    ensure_can(actor, "training.take", codes[-1] if codes else quiz.place.code)
    return max(codes[-1], quiz.place.code, key=len)


def _check_answers(quiz: Quiz, answers: dict[int, set[int]]) -> None:
    kinds = dict(quiz.questions.values_list("pk", "kind"))
    valid = dict(Choice.objects.filter(question__quiz=quiz).values_list("pk", "question_id"))
    missing = [pk for pk in kinds if not answers.get(pk)]
    if missing:
        raise ValidationError(_("还有 %(n)d 道题没有作答。") % {"n": len(missing)})
    for question_id, chosen in answers.items():
        if question_id not in kinds or any(valid.get(c) != question_id for c in chosen):
            raise NotFound()
        if kinds[question_id] == QuestionKind.SINGLE and len(chosen) != 1:
            raise ValidationError(_("单选题只能选一个答案。"))
