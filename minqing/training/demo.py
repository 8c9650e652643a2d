"""Demo: the policy answer base (demo_answers.py), a year of training sessions with attendance, four
quizzes with results, and policy suggestions recorded on some demands — all through the services."""
from __future__ import annotations

import datetime

from django.utils import timezone

from minqing.accounts.models import Role

from . import answers as answer_services
from . import services
from .demo_answers import ANSWERS
from .selectors import policy_suggestions_for_appeal

TOPICS = [
    ("低保政策与入户核查要点", "讲解低保认定条件、家庭经济状况核对和入户核查记录的写法。"),
    ("群众来访接待与诉求答复规范", "如何受理、登记、答复诉求，答复要有依据、有结果、有温度。"),
    ("矛盾纠纷排查调解实务", "邻里、物业、家庭纠纷的调解步骤和调解协议书的制作。"),
    ("高龄津贴与养老服务政策", "高龄津贴、居家养老、适老化改造的对象和办理流程。"),
    ("医保缴费与异地就医", "居民医保缴费、待遇等待期、异地就医备案。"),
    ("楼栋长工作方法", "楼栋长怎样联系住户、发现问题、及时上报。"),
    ("普法宣传：民法典与居民生活", "民法典中相邻关系、婚姻家庭、继承的常见问题。"),
    ("采煤沉陷区房屋安全与应急处置", "房屋开裂的识别、上报和临时避险。"),
    ("就业援助与公益性岗位", "失业登记、技能培训补贴、公益性岗位的开发和安置。"),
    ("网格员信息采集与隐私保护", "台账采集规范，个人信息不外传、不拍照外发。"),
    ("安全生产与燃气安全进家庭", "燃气泄漏处置、老旧管线隐患排查。"),
    ("党的群众工作方法（适岗培训）", "做群众工作的基本方法：走访、倾听、办实事、回访。"),
]
AUDIENCES = [(Role.COMMUNITY_WORKER, Role.GRID_WORKER), (Role.GRID_WORKER, Role.BUILDING_HEAD),
             (Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER)]

QUIZZES = [
    ("低保政策知识测验", [Role.COMMUNITY_WORKER, Role.GRID_WORKER], [
        ("本区城市低保标准（2025年7月起）是每人每月多少元？", [("750元", False), ("790元", True), ("630元", False)]),
        ("低保审核确认的总时限一般不超过多少日？", [("30日", False), ("45日", True), ("90日", False)]),
        ("下列哪些属于申请低保时需要的材料？（多选）", [("户口簿", True), ("家庭经济状况核对授权书", True), ("房产证原件", False)]),
        ("低保家庭成员就业后收入超过标准，可给予几个月渐退期？", [("3个月", False), ("6个月", True), ("12个月", False)]),
    ]),
    ("高龄津贴与医保政策测验", [Role.COMMUNITY_WORKER], [
        ("90至99周岁老人高龄津贴每月多少元？", [("100元", False), ("200元", True), ("600元", False)]),
        ("居民医保断缴后再参保，等待期至少多少天？", [("30天", False), ("90天", True), ("180天", False)]),
        ("下列哪些可以通过“渝快办”办理？（多选）", [("高龄津贴申请", True), ("居民医保缴费", True), ("房屋安全鉴定", False)]),
    ]),
    ("楼栋长应知应会", [Role.BUILDING_HEAD, Role.GRID_WORKER], [
        ("发现住户房屋墙体新出现裂缝，第一步应该？", [("自己判断是否危险", False), ("向社区登记上报", True), ("等下次走访", False)]),
        ("住户的身份证号码能否发到微信群里？", [("可以", False), ("不可以", True)]),
        ("楼栋长的主要工作有哪些？（多选）", [("联系住户", True), ("发现并上报问题", True), ("代替住户签字", False)]),
    ]),
    ("民法典普法知识竞赛", [], [
        ("相邻关系纠纷首先应当如何处理？", [("协商或调解", True), ("直接起诉", False), ("报警", False)]),
        ("遗嘱的形式包括哪些？（多选）", [("自书遗嘱", True), ("打印遗嘱", True), ("口头约定由邻居转告", False)]),
    ]),
]


def build(ctx):
    users, places = ctx.shared.get("users", {}), ctx.shared.get("places", {})
    if not users or not places:
        return
    mine, (yuyang, xincun) = places["mine"], places["communities"]
    _answers(ctx, users, {"mine": mine, "yuyang": yuyang, "xincun": xincun})
    _sessions(ctx, users, mine, yuyang)
    _quizzes(ctx, users, mine, yuyang)
    _suggestions(ctx, users, yuyang)


def _answers(ctx, users, scopes):
    owners = {"mine": users["street"], "yuyang": users["secretary"], "xincun": users["xincun"]}
    for key, topic, question, answer, source, body, effective, expires, scope in ANSWERS:
        answer_services.policy_answer_create(actor=owners[scope], place=scopes[scope], data=answer_services.AnswerInput(
            question=question, answer=answer, source=source, issuing_body=body, effective_on=effective,
            expires_on=expires, topic=topic, applies_to=(scopes[scope],)))
    flagged = answer_services.policy_answers_flag_expired(today=timezone.localdate())
    ctx.log(f"{len(ANSWERS)} policy answers ({flagged} expired, flagged to their owners)")


def _sessions(ctx, users, mine, yuyang):
    rng, now = ctx.random, timezone.now()
    people = [users[k] for k in ("worker", "grid1", "grid3", "building1", "secretary") if k in users]
    count = 0
    for month in range(12, 0, -1):
        topic, description = TOPICS[month % len(TOPICS)]
        day = (now - datetime.timedelta(days=30 * month + rng.randint(0, 10))).replace(hour=14, minute=30, second=0,
                                                                                        microsecond=0)
        organiser, place = (users["street"], mine) if month % 3 == 0 else (users["secretary"], yuyang)
        session = services.training_session_create(actor=organiser, data=services.SessionInput(
            place=place, topic=topic, description=description, venue=rng.choice(["社区党群服务中心二楼会议室",
                                                                                 "矿职工俱乐部", "社区新时代文明实践站"]),
            starts_at=day, ends_at=day + datetime.timedelta(hours=2), audience_roles=AUDIENCES[month % 3]))
        services.training_attendance_record(actor=organiser, session=session,
                                            users=[p for p in people if rng.random() < 0.8])
        count += 1
    ctx.log(f"{count} training sessions with attendance")


def _quizzes(ctx, users, mine, yuyang):
    rng = ctx.random
    takers = {Role.COMMUNITY_WORKER: ["worker"], Role.GRID_WORKER: ["grid1", "grid3"], Role.BUILDING_HEAD: ["building1"]}
    for index, (title, required, questions) in enumerate(QUIZZES):
        quiz = services.quiz_create(
            actor=users["street"] if index % 2 == 0 else users["secretary"], place=mine if index % 2 == 0 else yuyang,
            title=title, pass_mark=60, required_roles=tuple(required),
            questions=[services.QuestionInput(text=t, choices=tuple(c), kind="multiple" if sum(x for _y, x in c) > 1
                                              else "single") for t, c in questions])
        for username in ["worker", "grid1", "grid3", "building1"]:
            if username == "grid3" and index == 0:
                continue  # someone has not yet taken the required quiz
            _attempt(rng, users[username], quiz, good=0.75 if username != "building1" else 0.55)
    ctx.log(f"{len(QUIZZES)} quizzes with results")


def _attempt(rng, user, quiz, good: float):
    from minqing.core.errors import ApplicationError

    answers = {}
    for question in quiz.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        right = {c.pk for c in choices if c.correct}
        answers[question.pk] = right if rng.random() < good else {rng.choice([c for c in choices]).pk}
    try:
        services.quiz_attempt_submit(actor=user, quiz=quiz, answers=answers)
    except ApplicationError:
        pass  # the role cannot take this quiz here


def _suggestions(ctx, users, yuyang):
    from minqing.appeals.models import Appeal

    rng, worker = ctx.random, users["worker"]
    appeals = list(Appeal.objects.filter(place__code__startswith=yuyang.code).order_by("-submitted_at")[:30])
    used = 0
    for appeal in appeals:
        found = policy_suggestions_for_appeal(actor=worker, appeal=appeal)
        log = answer_services.policy_suggestion_shown(actor=worker, appeal=appeal, answer_ids=[a.pk for a, _s in found])
        if log and rng.random() < 0.35:
            answer_services.policy_suggestion_used(actor=worker, appeal=appeal, answer_id=log.shown[0 if rng.random() < 0.7 else -1])
            used += 1
    ctx.log(f"policy suggestions on {len(appeals)} demands, {used} inserted")
