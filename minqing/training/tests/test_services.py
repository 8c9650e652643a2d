import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minqing.core.errors import NotFound, PermissionDenied, ValidationError
from minqing.core.models import AuditEntry
from minqing.notifications.models import Notification
from minqing.training import answers, services
from minqing.training.models import PolicyAnswer, QuizAttempt
from minqing.training.selectors import policy_answers_for, quiz_missing, quiz_scores

from .factories import answer, quiz, right_answers, session

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 4)


# --- role matrix: who may create sessions, quizzes and answers; who takes quizzes ----------------------

@pytest.mark.parametrize("role, allowed", [
    ("admin", True), ("street", True), ("secretary", True), ("worker", True),
    ("grid", False), ("building", False), ("branch", False), ("partner", False), ("supervisor", False)])
def test_who_may_create(actors, tree, role, allowed):
    actor = actors[role]
    creators = [lambda: session(actor, tree["community_a"]), lambda: quiz(actor, tree["community_a"]),
                lambda: answer(actor, tree["community_a"])]
    for create in creators:
        if allowed:
            assert create().pk
        else:
            with pytest.raises((PermissionDenied, NotFound)):
                create()


def test_supervisor_is_refused_as_forbidden_not_hidden(actors, tree):
    with pytest.raises(PermissionDenied):
        answer(actors["supervisor"], tree["community_a"])


def test_community_secretary_cannot_create_in_the_other_community(actors, tree):
    with pytest.raises(NotFound):
        session(actors["secretary"], tree["community_b"])


@pytest.mark.parametrize("role, allowed", [
    ("secretary", True), ("worker", True), ("grid", True), ("building", True),
    ("street", False), ("supervisor", False), ("branch", False)])
def test_who_takes_quizzes(actors, tree, role, allowed):
    q = quiz(actors["street"], tree["street"])
    if allowed:
        attempt = services.quiz_attempt_submit(actor=actors[role], quiz=q, answers=right_answers(q))
        assert attempt.score == 100
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            services.quiz_attempt_submit(actor=actors[role], quiz=q, answers=right_answers(q))


# --- quiz scoring -------------------------------------------------------------------------------------

def test_quiz_scoring_single_multiple_and_pass_mark(actors, tree):
    q = quiz(actors["secretary"], tree["community_a"], pass_mark=60)
    single, multiple = q.questions.all()
    s_right = next(c.pk for c in single.choices.all() if c.correct)
    s_wrong = next(c.pk for c in single.choices.all() if not c.correct)
    m_right = {c.pk for c in multiple.choices.all() if c.correct}
    # all right
    assert services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers={single.pk: {s_right}, multiple.pk: m_right}).score == 100
    # multiple choice half right scores nothing for that question: 50 < 60 fails
    half = services.quiz_attempt_submit(actor=actors["grid"], quiz=q,
                                        answers={single.pk: {s_right}, multiple.pk: {min(m_right)}})
    assert (half.score, half.passed) == (50, False)
    # one too many on the multiple choice is also wrong
    extra = {c.pk for c in multiple.choices.all()}
    assert services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers={single.pk: {s_wrong}, multiple.pk: extra}).score == 0
    assert AuditEntry.objects.filter(action="training.quiz.attempt").count() == 3


def test_quiz_refuses_unanswered_two_singles_and_foreign_choices(actors, tree):
    q = quiz(actors["secretary"], tree["community_a"])
    single, multiple = q.questions.all()
    with pytest.raises(ValidationError, match="没有作答"):
        services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers={single.pk: {single.choices.first().pk}})
    with pytest.raises(ValidationError, match="只能选一个"):
        services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers={
            single.pk: {c.pk for c in single.choices.all()}, multiple.pk: {multiple.choices.first().pk}})
    with pytest.raises(NotFound):
        services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers={
            single.pk: {multiple.choices.first().pk}, multiple.pk: {multiple.choices.first().pk}})
    assert not QuizAttempt.objects.exists()


def test_quiz_create_checks_questions(actors, tree):
    bad = [services.QuestionInput("无正确答案", (("甲", False), ("乙", False)))]
    with pytest.raises(ValidationError) as error:
        services.quiz_create(actor=actors["secretary"], place=tree["community_a"], title="", questions=bad, pass_mark=0)
    assert set(error.value.fields) == {"title", "pass_mark", "questions"}


def test_scores_per_person_and_community_and_who_is_missing(actors, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    q = quiz(actors["street"], tree["street"], required=(Role.GRID_WORKER,))
    grid_b = user_with_role(Role.GRID_WORKER, tree["grid_b1"], username="t_grid_b")
    services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers=right_answers(q))
    services.quiz_attempt_submit(actor=actors["worker"], quiz=q, answers={
        pk: {min(v)} for pk, v in right_answers(q).items()})
    scores = quiz_scores(actor=actors["street"], quiz=q)
    assert [(c.name, c.people, c.passed) for c in scores["communities"]] == [("A社区", 2, 1)]
    assert [r["score"] for r in scores["people"]] == [100, 50]
    assert [m["user"] for m in quiz_missing(actor=actors["street"], quiz=q)] == [grid_b]
    # the community A secretary sees only A's people: nobody missing there
    assert quiz_missing(actor=actors["secretary"], quiz=q) == []


# --- attendance and materials --------------------------------------------------------------------------

def test_attendance_one_audit_row_and_idempotent(actors, tree):
    s = session(actors["secretary"], tree["community_a"])
    assert services.training_attendance_record(actor=actors["secretary"], session=s, users=[actors["grid"], actors["worker"]]) == 2
    assert services.training_attendance_record(actor=actors["secretary"], session=s, users=[actors["grid"]]) == 0
    assert AuditEntry.objects.filter(action="training.attendance.record").count() == 1


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, ok", [
    ("讲义.pdf", b"%PDF-1.7\n...", True),
    ("讲义.docx", _docx(), True),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, True),
    ("讲义.pdf", b"MZ\x90\x00 this is an exe", False),           # renamed executable
    ("讲义.docx", b"%PDF-1.4 a pdf named docx", False),           # wrong family
    ("讲义.xlsx", _docx(), False),                                 # a Word file named .xlsx
    ("讲义.docx", b"PK\x03\x04 not really a zip", False),         # broken archive
    ("脚本.html", b"<script>", False),                            # type not accepted
    ("空.pdf", b"", False),
])
def test_upload_checks_bytes_not_names(actors, tree, name, content, ok):
    s = session(actors["secretary"], tree["community_a"])
    upload = SimpleUploadedFile(name, content)
    if ok:
        material = services.training_material_upload(actor=actors["secretary"], session=s, title="", upload=upload)
        assert material.kind == name.rsplit(".", 1)[1] and material.file.read() == content
        assert "media" not in material.file.path
    else:
        with pytest.raises(ValidationError) as error:
            services.training_material_upload(actor=actors["secretary"], session=s, title="", upload=upload)
        assert "file" in error.value.fields


def test_upload_size_limit(actors, tree, monkeypatch):
    from minqing.training import uploads

    monkeypatch.setattr(uploads, "MAX_BYTES", 10)
    s = session(actors["secretary"], tree["community_a"])
    with pytest.raises(ValidationError, match="不能超过|"):
        services.training_material_upload(actor=actors["secretary"], session=s, title="",
                                          upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 more than ten bytes"))


# --- policy answers: expiry, scope, audit ------------------------------------------------------------

def test_expired_answers_are_hidden_from_suggestions_and_flagged_once(actors, tree):
    live = answer(actors["street"], tree["street"], "低保标准是多少", "每人每月790元", topic="dibao")
    old = answer(actors["street"], tree["street"], "2024年低保标准是多少", "每人每月750元", topic="dibao",
                 effective=datetime.date(2024, 7, 1), expires=datetime.date(2025, 6, 30))
    found = [a for a, _s in policy_answers_for(place_code=tree["grid_a1"].code, text="低保标准多少钱", on=TODAY)]
    assert live in found and old not in found
    # the job flags it to its owner, once
    assert answers.policy_answers_flag_expired(today=TODAY) == 1
    assert answers.policy_answers_flag_expired(today=TODAY) == 0
    note = Notification.objects.get(user=actors["street"], kind="training.answer_expired")
    assert "2024年低保标准" in note.text and note.url.endswith(f"/training/answers/{old.pk}/")
    assert AuditEntry.objects.filter(action="training.answer.flag_expired", object_id=str(old.pk)).count() == 1


def test_new_expiry_date_is_flagged_again(actors, tree):
    old = answer(actors["street"], tree["street"], expires=datetime.date(2025, 1, 1))
    answers.policy_answers_flag_expired(today=TODAY)
    answers.policy_answer_update(actor=actors["street"], answer_id=old.pk, expected_version=None, data=answers.AnswerInput(
        question=old.question, answer=old.answer, source=old.source, issuing_body=old.issuing_body,
        effective_on=old.effective_on, expires_on=datetime.date(2026, 1, 1), applies_to=(tree["street"],)))
    assert PolicyAnswer.objects.get(pk=old.pk).expiry_flagged_on is None
    assert answers.policy_answers_flag_expired(today=TODAY) == 1


def test_job_runs_from_the_registry(actors, tree):
    from minqing.jobs.registry import registered_jobs

    answer(actors["street"], tree["street"], expires=datetime.date(2025, 1, 1))
    job = next(j for j in registered_jobs() if j.name == "training.flag_expired_answers")
    from django.utils import timezone

    assert job.run(timezone.now()) == "flagged 1"


def test_answers_apply_only_where_they_apply(actors, tree):
    only_b = answer(actors["street"], tree["street"], "B社区长者食堂优惠", "每餐补贴2元", applies_to=[tree["community_b"]])
    assert policy_answers_for(place_code=tree["grid_a1"].code, text="长者食堂", on=TODAY) == []
    assert [a for a, _ in policy_answers_for(place_code=tree["grid_b1"].code, text="长者食堂", on=TODAY)] == [only_b]


def test_answer_validation_and_scope_of_applies_to(actors, tree):
    with pytest.raises(ValidationError) as error:
        answer(actors["secretary"], tree["community_a"], applies_to=[tree["community_b"]],
               expires=datetime.date(2023, 1, 1))
    assert set(error.value.fields) == {"applies_to", "expires_on"}


def test_answer_create_and_update_write_one_audit_row_each(actors, tree):
    a = answer(actors["secretary"], tree["community_a"])
    answers.policy_answer_update(actor=actors["secretary"], answer_id=a.pk, expected_version=a.version,
                                 data=answers.AnswerInput(question="新问题", answer=a.answer, source=a.source,
                                                          issuing_body=a.issuing_body, effective_on=a.effective_on,
                                                          applies_to=(tree["community_a"],), topic="elderly"))
    rows = AuditEntry.objects.filter(object_type="training.policyanswer", object_id=str(a.pk))
    assert [r.action for r in rows.order_by("id")] == ["training.answer.create", "training.answer.change"]
    assert rows.order_by("id").last().changes["question"] == ["高龄津贴每月发多少？", "新问题"]


# --- suggestion recording ------------------------------------------------------------------------------

def test_suggestions_recorded_shown_then_used(actors, tree):
    from minqing.appeals.tests.factories import AppealFactory

    appeal = AppealFactory(place=tree["grid_a1"], title="老人高龄补贴没发", text="我父亲85岁，高龄津贴这个月没有到账")
    a = answer(actors["street"], tree["street"])
    log = answers.policy_suggestion_shown(actor=actors["worker"], appeal=appeal, answer_ids=[a.pk])
    assert log.shown == [a.pk] and log.used == []
    answers.policy_suggestion_used(actor=actors["worker"], appeal=appeal, answer_id=a.pk)
    answers.policy_suggestion_used(actor=actors["worker"], appeal=appeal, answer_id=a.pk)  # twice: once
    log.refresh_from_db()
    assert log.used == [a.pk] and log.top_used
    assert AuditEntry.objects.filter(action="training.suggestion.used").count() == 1
    with pytest.raises(NotFound):  # never shown to this worker
        answers.policy_suggestion_used(actor=actors["grid"], appeal=appeal, answer_id=a.pk)


def test_quiz_takers_see_only_their_own_scores(actors, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    q = quiz(actors["street"], tree["street"], required=(Role.GRID_WORKER,))
    other = user_with_role(Role.GRID_WORKER, tree["grid_a1"], username="t_grid_2")
    services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers=right_answers(q))
    services.quiz_attempt_submit(actor=other, quiz=q, answers=right_answers(q))
    assert [r["user"] for r in quiz_scores(actor=actors["grid"], quiz=q)["people"]] == [actors["grid"]]
    assert quiz_missing(actor=actors["grid"], quiz=q) == []
    assert len(quiz_scores(actor=actors["supervisor"], quiz=q)["people"]) == 2
