"""The services' clock: `history_at` replays a moment for services, audit and timeline; a replayed
past sends no notices, and callbacks queued in it keep their moment."""
import datetime

import pytest
from django.utils import timezone

from minqing.appeals.models import Channel
from minqing.appeals.services import appeal_accept, appeal_submit
from minqing.core import clock
from minqing.core.models import AuditEntry
from minqing.notifications.models import Notification, OutboxMessage
from minqing.notifications.services import notification_send, outbox_enqueue
from minqing.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db
PAST = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)  # a Monday


def test_history_at_is_now_inside_and_real_time_outside():
    with clock.history_at(PAST):
        assert clock.now() == PAST and clock.replaying()
    assert not clock.replaying() and abs(clock.now() - timezone.now()) < datetime.timedelta(seconds=5)
    with pytest.raises(ValueError):
        with clock.history_at(datetime.datetime(2026, 3, 2)):
            pass


def test_a_replayed_submission_and_accept_happen_at_their_moment(tree, actors):
    with clock.history_at(PAST):
        appeal = appeal_submit(actor=actors["worker"], place=tree["building_a1"], text="楼道灯坏了好久",
                               channel=Channel.PHONE)
    with clock.history_at(PAST + datetime.timedelta(hours=2)):
        appeal = appeal_accept(actor=actors["worker"], appeal_id=appeal.pk)
    assert appeal.submitted_at == PAST and appeal.accepted_at == PAST + datetime.timedelta(hours=2)
    assert appeal.response_deadline > PAST and appeal.response_deadline.year == 2026
    rows = AuditEntry.objects.filter(object_id=str(appeal.pk), object_type="appeals.appeal").order_by("id")
    assert [(r.action, r.created_at) for r in rows] == [("appeal.submit", PAST),
                                                       ("appeal.accept", PAST + datetime.timedelta(hours=2))]
    assert list(appeal.events.order_by("id").values_list("at", flat=True)) == [
        PAST, PAST + datetime.timedelta(hours=2)]


def test_a_replayed_past_sends_no_notices(actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with clock.history_at(PAST):
            assert notification_send(users=[actors["worker"]], kind="t", text="旧消息") == 0
            assert outbox_enqueue(phone="13800000000", text="旧短信") is False
            clock.on_commit(notification_send, users=[actors["worker"]], kind="t", text="提交后")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()
    assert notification_send(users=[actors["worker"]], kind="t", text="今天的消息") == 1
