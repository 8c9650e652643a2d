"""Surveys built through the services."""
import datetime

from django.utils import timezone

from minqing.surveys import services
from minqing.surveys.models import QuestionKind


def survey_with_questions(place, actor, *, staff=None, publish=True, title="2026年社区服务满意度测评"):
    survey = services.survey_create(actor=actor, place=place, title=title,
                                    closes_at=timezone.now() + datetime.timedelta(days=30))
    add = lambda **kw: services.question_add(actor=actor, survey_id=survey.pk, **kw)  # noqa: E731
    questions = {
        "single": add(kind=QuestionKind.SINGLE, text="您多久参加一次社区活动？", choices=["每周", "每月", "很少"]),
        "multiple": add(kind=QuestionKind.MULTIPLE, text="您最关心哪些事？", choices=["环境卫生", "治安", "养老"]),
        "scale": add(kind=QuestionKind.SCALE, text="对社区工作总体打几分？"),
        "text": add(kind=QuestionKind.TEXT, text="还有什么建议？", required=False),
    }
    if staff is not None:
        questions["staff"] = add(kind=QuestionKind.STAFF, text="对这位社区干部的评价", staff=staff)
    if publish:
        services.survey_publish(actor=actor, survey_id=survey.pk)
        survey.refresh_from_db()
    return survey, questions


def answers_for(questions, *, single=0, multiple=(0, 2), scale=4, text="", staff=("satisfied", "")):
    out = {questions["single"].pk: single, questions["multiple"].pk: list(multiple),
           questions["scale"].pk: scale, questions["text"].pk: text}
    if "staff" in questions:
        out[questions["staff"].pk] = staff
    return out


def answer(survey, questions, phone="13900000001", **kw):
    return services.survey_answer(survey_id=survey.pk, phone=phone, answers=answers_for(questions, **kw))
