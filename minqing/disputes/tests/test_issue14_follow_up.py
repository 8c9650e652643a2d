"""Issue 14, item 6: a follow-up cannot be dated in the future (it would close the dispute as performed
before anyone checked); the follow-up due after the performance date is notified to its owner."""
import datetime

import pytest
from django.utils import timezone

from minqing.core.errors import ValidationError
from minqing.disputes.jobs import follow_ups_due_notify
from minqing.disputes.models import Status
from minqing.disputes.services.agreements import agreement_follow_up
from minqing.disputes.tests.factories import agreement_for
from minqing.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_follow_up_dated_in_the_future_is_refused(make_dispute, actors):
    dispute = make_dispute(Status.AGREED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        agreement_follow_up(actor=actors["worker"], dispute_id=dispute.pk, honoured=True, note="已履行",
                            visited_on=tomorrow)
    assert list(caught.value.fields) == ["visited_on"]
    dispute.refresh_from_db()
    assert dispute.status == Status.AGREED and dispute.closed_at is None
    agreement_follow_up(actor=actors["worker"], dispute_id=dispute.pk, honoured=True, note="已履行",
                        visited_on=timezone.localdate())
    dispute.refresh_from_db()
    assert dispute.status == Status.CLOSED


def test_the_owner_is_told_when_a_follow_up_is_due(make_dispute, actors):
    due = make_dispute(Status.AGREED)  # performance date yesterday
    not_yet = make_dispute(Status.MEDIATING)
    agreement_for(not_yet, mediator=actors["worker"], deadline=timezone.localdate() + datetime.timedelta(days=5))
    now = timezone.now()
    assert follow_ups_due_notify(now) == "notified 1"
    notes = Notification.objects.filter(kind="dispute.follow_up_due")
    assert [(n.user, due.title in n.text) for n in notes] == [(actors["worker"], True)]
    assert notes[0].url.endswith(f"/disputes/{due.pk}/")
    assert follow_ups_due_notify(now) == "notified 0"  # once per agreement
    agreement_follow_up(actor=actors["worker"], dispute_id=due.pk, honoured=True, note="已履行")
    assert follow_ups_due_notify(now + datetime.timedelta(days=1)) == "notified 0"

