"""Every (state, verb) pair: the table allows exactly what it lists, and refuses the rest clearly."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from minqing.core.errors import ApplicationError
from minqing.welfare import services
from minqing.welfare.models import APPLICATION, Application, Objection, Programme, Status, Verb

from .factories import submit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def _verify(w, a, today, *, recommends):
    return services.application_verify(
        actor=w["worker"], application=a, visited_on=today, staff_1=w["worker"], staff_2=w["worker2"],
        findings="属实", verified_income=Decimal("600"), recommends=recommends)


def _appraise(w, a, today, *, votes_for, notice=True):
    Programme.objects.filter(pk=a.programme_id).update(requires_notice=notice)
    a.refresh_from_db()
    return services.application_appraise(actor=w["secretary"], application=a, held_on=today, members=9,
                                         attendance=9, votes_for=votes_for, votes_against=9 - votes_for)


def _answer(w, a, outcome):
    objection = Objection.objects.create(application=a, receipt=f"YY{a.pk}{a.status}"[:20], text="异议")
    return services.objection_answer(actor=w["worker"], objection=objection, answer="调查答复", outcome=outcome)


def _call(verb, w, application):
    a, today = application, timezone.localdate()
    calls = {
        Verb.VERIFY: lambda: _verify(w, a, today, recommends=True),
        Verb.VERIFY_SEND_UP: lambda: _verify(w, a, today, recommends=False),
        Verb.APPRAISE: lambda: _appraise(w, a, today, votes_for=9),
        Verb.APPRAISE_SEND_UP: lambda: _appraise(w, a, today, votes_for=9, notice=False),
        Verb.APPRAISE_FAIL: lambda: _appraise(w, a, today, votes_for=3),
        Verb.ANSWER_OBJECTION: lambda: _answer(w, a, "upheld"),
        Verb.DISMISS_OBJECTION: lambda: _answer(w, a, "dismissed"),
        Verb.CLOSE_NOTICE: lambda: services.application_close_notice(actor=w["worker"], application=a),
        Verb.APPROVE: lambda: services.application_approve(actor=w["street"], application=a),
        Verb.REJECT: lambda: services.application_reject(actor=w["street"], application=a, reason="理由"),
        Verb.WITHDRAW: lambda: services.application_withdraw(actor=w["worker"], application=a, reason="撤回"),
        Verb.DISBURSE: lambda: services.disbursement_record(actor=w["worker"], application=a, period=today,
                                                            amount=Decimal("100"), paid_on=today),
        Verb.REREVIEW: lambda: services.application_rereview(
            actor=w["worker"], application=a, reviewed_on=today, verified_income=Decimal("600"), findings="仍困难",
            outcome="continue"),
        Verb.REREVIEW_STOP: lambda: services.application_rereview(
            actor=w["street"], application=a, reviewed_on=today, verified_income=Decimal("600"), findings="已好转",
            outcome="stop"),
    }
    return calls[verb]()


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("verb", list(Verb))
def test_table(welfare, state, verb):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    Application.objects.filter(pk=application.pk).update(status=state)
    application.refresh_from_db()
    error = None
    try:
        _call(verb, welfare, application)
    except ApplicationError as exc:
        error = exc
    refused_by_table = error is not None and error.code == "transition_not_allowed"
    assert refused_by_table is (APPLICATION.target(state, verb) is None), (state, verb)
    if error is None and verb != Verb.DISBURSE:  # a move that went through leads where the table says
        application.refresh_from_db()
        assert application.status == APPLICATION.target(state, verb), (state, verb)


def test_refusal_names_the_state_and_the_verb(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(ApplicationError) as info:
        services.application_approve(actor=welfare["street"], application=application)
    assert str(info.value.message) == "申请当前为“已受理，待入户核查”，不能审批通过。"
