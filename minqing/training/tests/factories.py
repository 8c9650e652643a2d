"""Training data for tests, written through the services (so every row has its audit entry)."""
import datetime

from django.utils import timezone

from minqing.accounts.models import Role
from minqing.training import answers, services
from minqing.training.models import QuestionKind


def answer(actor, place, question="高龄津贴每月发多少？", text="80至89周岁每人每月100元。", *, applies_to=None,
           effective=datetime.date(2024, 1, 1), expires=None, topic="elderly", public=True):
    return answers.policy_answer_create(actor=actor, place=place, data=answers.AnswerInput(
        question=question, answer=text, source="《测试办法》", issuing_body="区民政局", effective_on=effective,
        expires_on=expires, topic=topic, applies_to=tuple(applies_to or [place]), is_public=public))


def session(actor, place, topic="低保政策培训", roles=(Role.COMMUNITY_WORKER, Role.GRID_WORKER)):
    start = timezone.now() - datetime.timedelta(days=3)
    return services.training_session_create(actor=actor, data=services.SessionInput(
        place=place, topic=topic, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        audience_roles=tuple(roles)))


QUESTIONS = [
    services.QuestionInput("低保标准是多少？", (("790元", True), ("500元", False))),
    services.QuestionInput("哪些是申请材料？", (("户口簿", True), ("身份证", True), ("房产证", False)),
                           kind=QuestionKind.MULTIPLE),
]


def quiz(actor, place, *, required=(Role.GRID_WORKER,), pass_mark=60):
    return services.quiz_create(actor=actor, place=place, title="低保知识测验", questions=QUESTIONS,
                                pass_mark=pass_mark, required_roles=tuple(required))


def right_answers(quiz_obj) -> dict:
    return {q.pk: {c.pk for c in q.choices.all() if c.correct} for q in quiz_obj.questions.all()}
