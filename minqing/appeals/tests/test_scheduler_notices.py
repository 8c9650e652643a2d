"""The scheduled jobs (overdue, reminders, unrated close, outbox) are idempotent and safe to run twice
at once; staff get in-app notifications; residents get texts through the pluggable gateway."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from minqing.appeals import services
from minqing.appeals.jobs import appeals_close_unrated, appeals_mark_overdue, appeals_remind_due_soon
from minqing.appeals.models import AppealEvent, Status
from minqing.jobs.models import JobLock
from minqing.jobs.registry import job_lock_acquire, jobs_run_once
from minqing.notifications.gateways import MemoryGateway
from minqing.notifications.models import Notification, OutboxMessage, OutboxStatus
from minqing.notifications.services import outbox_deliver_pending

from .factories import appeal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_gateway(settings):
    settings.MINQING_SMS_BACKEND = "minqing.notifications.gateways.MemoryGateway"
    MemoryGateway.sent = []
    return MemoryGateway


def test_mark_overdue_once(tree, actors, django_capture_on_commit_callbacks):
    now = timezone.now()
    late = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"], leader=actors["secretary"],
                     handle_deadline=now - datetime.timedelta(hours=1))
    fine = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        assert appeals_mark_overdue(now) == "marked 1"
        assert appeals_mark_overdue(now) == "marked 0"  # a second run changes nothing
    late.refresh_from_db()
    fine.refresh_from_db()
    assert late.is_overdue and not fine.is_overdue
    assert AppealEvent.objects.filter(appeal=late, verb="overdue").count() == 1
    assert actors["worker"].notifications.filter(kind="appeal.overdue").count() == 1
    assert actors["secretary"].notifications.filter(kind="appeal.overdue").count() == 1


def test_remind_due_soon_once(tree, actors, heating, django_capture_on_commit_callbacks):
    now = timezone.now()
    soon = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler_unit=heating["unit"],
                     handle_deadline=now + datetime.timedelta(hours=6))
    appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"],
              handle_deadline=now + datetime.timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert appeals_remind_due_soon(now) == "reminded 1"
        assert appeals_remind_due_soon(now + datetime.timedelta(minutes=1)) == "reminded 0"
    assert [n.text for n in heating["user"].notifications.all()] == [
        f"{soon.receipt_code} 诉求即将到期（{timezone.localtime(soon.handle_deadline):%m-%d %H:%M}）：{soon.title}"]
    assert not heating["other_user"].notifications.exists()


def test_unrated_replies_close_after_n_days(tree, actors, settings):
    settings.MINQING_APPEAL_FOLLOW_UP_DAYS = 7
    now = timezone.now()
    old = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"],
                    replied_at=now - datetime.timedelta(days=8))
    recent = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"],
                       replied_at=now - datetime.timedelta(days=3))
    assert appeals_close_unrated(now) == "closed 1"
    assert appeals_close_unrated(now) == "closed 0"
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.satisfaction, old.follow_up_by) == (Status.CLOSED, "not_rated", "timeout")
    assert recent.status == Status.REPLIED
    assert AppealEvent.objects.get(appeal=old, verb="close").note == "7 天内未评价，按“未评价”办结。"


def test_job_lease_lets_only_one_scheduler_run_a_job():
    now = timezone.now()
    assert job_lock_acquire("x", now=now, minutes=10, holder="a") is True
    assert job_lock_acquire("x", now=now, minutes=10, holder="b") is False  # running elsewhere
    assert job_lock_acquire("x", now=now + datetime.timedelta(minutes=11), minutes=10, holder="b") is True  # expired
    assert JobLock.objects.get(name="x").locked_by == "b"


def test_scheduler_runs_every_job_and_twice_is_harmless(tree, actors, memory_gateway):
    late = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"],
                     handle_deadline=timezone.now() - datetime.timedelta(hours=1))
    first = jobs_run_once(holder="one")
    assert first["appeals.mark_overdue"] == "marked 1"
    second = jobs_run_once(holder="two")
    assert second["appeals.mark_overdue"] == "marked 0"
    assert set(first) >= {"appeals.mark_overdue", "appeals.remind_due_soon", "appeals.close_unrated",
                          "notifications.outbox_deliver"}
    late.refresh_from_db()
    assert late.is_overdue and AppealEvent.objects.filter(appeal=late, verb="overdue").count() == 1
    # a job whose lease another scheduler holds is skipped, not run twice
    JobLock.objects.filter(name="appeals.mark_overdue").update(
        locked_until=timezone.now() + datetime.timedelta(minutes=5), locked_by="other")
    assert jobs_run_once(holder="three")["appeals.mark_overdue"] == "skipped (running elsewhere)"
    call_command("scheduler", "--once")


def test_resident_texts_go_through_the_gateway_once(tree, actors, memory_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_submit(actor=actors["worker"], place=tree["community_a"], channel="phone",
                                        phone="13912345678", text="小区东门路灯不亮")  # staff checked the caller
        services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2
    assert outbox_deliver_pending() == "sent 2, failed 0"
    assert outbox_deliver_pending() == "sent 0, failed 0"
    assert [phone for phone, _text in memory_gateway.sent] == ["13912345678", "13912345678"]
    assert f"回执码 {appeal.receipt_code}" in memory_gateway.sent[1][1] and "已受理" in memory_gateway.sent[1][1]
    message = OutboxMessage.objects.first()
    assert message.phone_masked == "139****5678" and "13912345678" not in message.phone_cipher


def test_gateway_failure_is_retried_then_failed(tree, settings):
    settings.MINQING_SMS_BACKEND = "minqing.appeals.tests.test_scheduler_notices.BrokenGateway"
    from minqing.notifications.services import MAX_ATTEMPTS, outbox_enqueue

    outbox_enqueue(phone="13912345678", text="x", dedupe_key="k")
    outbox_enqueue(phone="13912345678", text="x", dedupe_key="k")
    assert OutboxMessage.objects.count() == 1  # deduplicated
    for _ in range(MAX_ATTEMPTS):
        outbox_deliver_pending()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.FAILED, MAX_ATTEMPTS, "TimeoutError")


class BrokenGateway:
    def send(self, phone, text):
        raise TimeoutError("gateway down")


def test_logging_gateway_masks_the_phone(tree, caplog):
    from minqing.notifications.gateways import LoggingGateway

    with caplog.at_level("INFO", logger="minqing.sms"):
        LoggingGateway().send("13912345678", "【民情】测试")
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


def test_dispatch_notifies_the_handler_and_the_header_shows_it(client, tree, actors, heating,
                                                              django_capture_on_commit_callbacks):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                                 handler_unit=heating["unit"])
    notification = Notification.objects.get(user=heating["user"])
    assert notification.kind == "appeal.dispatch" and notification.url == f"/appeals/{appeal.pk}/"
    client.force_login(heating["user"])
    page = client.get("/").content.decode()
    assert 'data-testid="unread-badge"' in page and '<span class="count">1</span>' in page
    assert appeal.receipt_code in page  # the home panel lists it
    client.post("/notifications/read/", {"next": "/"})
    assert not Notification.objects.filter(user=heating["user"], read_at__isnull=True).exists()
