"""The application's whole life, step by step, with the legal limits and the public notice."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.core.models import AuditEntry
from minqing.disclosure.models import NoticeStatus
from minqing.welfare import services
from minqing.welfare.models import ObjectionOutcome, Status

from .factories import appraise, submit, verify

pytestmark = pytest.mark.django_db


def _to_notice(w):
    application = submit(w["worker"], w["programme"], w["household"])
    application = verify(w["worker"], application, w["worker2"])
    return appraise(w["secretary"], application)


def _after_notice_period(application, monkeypatch):
    later = application.notice_end + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)


def test_submit_sets_the_fifteen_day_limit_and_evaluates_rules(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"], income="600")
    assert application.status == Status.RECEIVED
    assert application.verification_due == timezone.localdate() + datetime.timedelta(days=15)
    assert application.household_size == 3
    assert application.eligibility["eligible"] is True
    # (800 − 600/3) × 3 = 1,800.00 a month
    assert application.proposed_amount == Decimal("1800.00")


def test_a_second_open_application_for_the_same_programme_is_refused(welfare):
    submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(Exception) as info:
        submit(welfare["worker"], welfare["programme"], welfare["household"])
    assert info.value.code == "duplicate_application"


def test_full_journey_to_approval_and_disbursement(welfare, monkeypatch):
    application = _to_notice(welfare)
    assert application.status == Status.NOTICE
    notice = application.notice
    assert notice.status == NoticeStatus.PUBLISHED and notice.accepts_objections
    assert (application.notice_end - application.notice_start).days == 6  # 7 days on the board
    _after_notice_period(application, monkeypatch)
    application = services.application_close_notice(actor=welfare["worker"], application=application)
    assert application.status == Status.SENT_UP
    assert application.sent_up_at <= application.send_up_due
    application = services.application_approve(actor=welfare["street"], application=application)
    assert application.status == Status.APPROVED
    assert application.approved_amount == Decimal("1800.00")
    assert application.next_review_due is not None
    payment = services.disbursement_record(actor=welfare["worker"], application=application,
                                           period=application.entitlement_start, amount=Decimal("1800"),
                                           paid_on=application.entitlement_start)
    assert payment.period.day == 1
    with pytest.raises(ValidationError) as info:
        services.disbursement_record(actor=welfare["worker"], application=application,
                                     period=application.entitlement_start, amount=Decimal("1800"),
                                     paid_on=application.entitlement_start)
    assert info.value.fields == {"period": ["该月已登记过发放。"]}
    actions = list(AuditEntry.objects.for_object(application).values_list("action", flat=True))
    assert set(actions) >= {"welfare.application.submit", "welfare.application.verify", "welfare.application.appraise",
                            "welfare.application.close_notice", "welfare.application.approve"}


def test_verification_needs_two_different_staff(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(ValidationError) as info:
        verify(welfare["worker"], application, welfare["worker"])
    assert info.value.fields == {"staff_2": ["入户核查须由两名工作人员共同进行。"]}


def test_verifier_must_be_welfare_staff_of_the_place(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(ValidationError) as info:
        verify(welfare["worker"], application, welfare["building"])
    assert "staff_2" in info.value.fields


def test_recommending_an_ineligible_household_is_refused(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(ValidationError) as info:
        verify(welfare["worker"], application, welfare["worker2"], income="3000")  # 1,000 a head > 800
    assert "人均月收入 1000.00 元，标准为不高于 800.00 元" in str(info.value.message)


def test_not_recommended_goes_straight_up_and_can_only_be_rejected(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    application = verify(welfare["worker"], application, welfare["worker2"], income="3000", recommends=False)
    assert application.status == Status.SENT_UP
    with pytest.raises(TransitionNotAllowed) as info:
        services.application_approve(actor=welfare["street"], application=application)
    assert info.value.code == "not_recommended"
    application = services.application_reject(actor=welfare["street"], application=application,
                                              reason="人均收入超过保障标准")
    assert application.status == Status.REJECTED and application.rejection_reason == "人均收入超过保障标准"


def test_reject_needs_a_reason(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(ValidationError) as info:
        services.application_reject(actor=welfare["street"], application=application, reason=" ")
    assert info.value.fields == {"reason": ["不予批准须说明理由，理由将告知申请人。"]}


def test_notice_cannot_close_before_the_period_ends(welfare):
    application = _to_notice(welfare)
    with pytest.raises(TransitionNotAllowed) as info:
        services.application_close_notice(actor=welfare["worker"], application=application)
    assert info.value.code == "notice_period_running"


def test_an_unanswered_objection_blocks_closing_the_notice(welfare, monkeypatch):
    application = _to_notice(welfare)
    objection = services.objection_file_public(notice=application.notice, text="该户有一辆营运车辆")
    _after_notice_period(application, monkeypatch)
    with pytest.raises(TransitionNotAllowed) as info:
        services.application_close_notice(actor=welfare["worker"], application=application)
    assert info.value.code == "objections_unanswered"
    assert str(info.value.message) == "还有 1 条异议未答复，答复后才能结束公示。"
    services.objection_answer(actor=welfare["worker"], objection=objection, answer="经核实车辆已于去年转让",
                              outcome=ObjectionOutcome.DISMISSED)
    application = services.application_close_notice(actor=welfare["worker"], application=application)
    assert application.status == Status.SENT_UP
    application.notice.refresh_from_db()
    assert application.notice.revisions.count() == 2  # publication + the closing line
    assert "共收到异议 1 条" in application.notice.body


def test_an_upheld_objection_sends_the_file_back_to_verification(welfare):
    application = _to_notice(welfare)
    objection = services.objection_file_public(notice=application.notice, text="申请人在外打工，收入较高")
    services.objection_answer(actor=welfare["worker"], objection=objection, answer="核实属实",
                              outcome=ObjectionOutcome.UPHELD)
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    application.notice.refresh_from_db()
    assert application.notice.status == NoticeStatus.WITHDRAWN


def test_objections_after_the_notice_are_refused(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    with pytest.raises(TransitionNotAllowed):
        services.objection_file(actor=welfare["worker"], application=application, text="x")


def test_withdrawing_during_notice_withdraws_the_public_notice(welfare):
    application = _to_notice(welfare)
    services.application_withdraw(actor=welfare["worker"], application=application, reason="申请人已就业")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.notice.status == NoticeStatus.WITHDRAWN


def test_rereview_stop_and_adjust(welfare, monkeypatch):
    application = _to_notice(welfare)
    _after_notice_period(application, monkeypatch)
    application = services.application_close_notice(actor=welfare["worker"], application=application)
    application = services.application_approve(actor=welfare["street"], application=application)
    with pytest.raises(ValidationError):
        services.application_rereview(actor=welfare["worker"], application=application, reviewed_on=timezone.localdate(),
                                      verified_income=Decimal("9000"), findings="已就业", outcome="continue")
    with pytest.raises(Exception) as info:  # stopping is a decision: an approver's
        services.application_rereview(actor=welfare["worker"], application=application, reviewed_on=timezone.localdate(),
                                      verified_income=Decimal("9000"), findings="已就业", outcome="stop")
    assert info.value.code == "forbidden"
    services.application_rereview(actor=welfare["street"], application=application, reviewed_on=timezone.localdate(),
                                  verified_income=Decimal("9000"), findings="已就业", outcome="stop")
    application.refresh_from_db()
    assert application.status == Status.STOPPED and application.next_review_due is None


def test_reminders_job_is_idempotent(welfare):
    from minqing.notifications.models import Notification
    from minqing.welfare.jobs import welfare_reminders_job

    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    later = timezone.make_aware(datetime.datetime.combine(application.verification_due, datetime.time(8)))
    assert welfare_reminders_job(later) == "1 files with a time limit to remind of"
    welfare_reminders_job(later)
    # worker, worker2 and the secretary of community A — each once, however often the job runs
    assert Notification.objects.filter(kind="welfare.verify").count() == 3


def test_eligibility_lines_read_in_the_readers_language(welfare):
    from django.utils import translation

    with translation.override("zh-hans"):  # evaluated by a Chinese-speaking worker
        application = submit(welfare["worker"], welfare["programme"], welfare["household"], income="600")
    with translation.override("en"):
        lines = [r["message"] for r in application.eligibility_results]
    assert lines and all("元" not in line and "人" not in line for line in lines), lines
    assert any("yuan" in line for line in lines)
    assert "人均月收入" in application.eligibility_results[0]["message"]  # and in Chinese for Chinese readers
