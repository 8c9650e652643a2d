"""Issue 14, item 2: the resident's rating path ends where the resident expects. 满意/基本满意 from the
resident closes the demand (audit row, timeline "居民评价后自动办结"); 不满意 reopens; the tracking page
shows only the current round's form and the earlier ratings labelled by round; the reply text message
carries the secret tracking link; the lookup by receipt code and phone leads to a page that can rate."""
import re

import pytest
from django.urls import reverse

from minqing.appeals import services
from minqing.appeals.models import AppealEvent, Status
from minqing.core.models import AuditEntry
from minqing.notifications.models import OutboxMessage

from .factories import PHONE, TOKEN, appeal_in

pytestmark = pytest.mark.django_db


def _replied(tree, actors):
    return appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"], leader=actors["secretary"])


@pytest.mark.parametrize("rating", ["satisfied", "basic"])
def test_a_resident_who_is_satisfied_closes_the_demand(tree, actors, rating):
    appeal = _replied(tree, actors)
    services.appeal_follow_up(actor=None, appeal_id=appeal.pk, satisfaction=rating, tracking_token=TOKEN)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.satisfaction, appeal.follow_up_by) == (Status.CLOSED, rating, "resident")
    assert appeal.closed_at is not None
    close = AppealEvent.objects.get(appeal=appeal, verb="close")
    assert close.note == "居民评价后自动办结" and close.is_public
    assert AuditEntry.objects.for_object(appeal).filter(action="appeal.close").count() == 1


def test_a_dissatisfied_resident_reopens_and_staff_ratings_still_wait_for_close(tree, actors):
    unhappy = _replied(tree, actors)
    services.appeal_follow_up(actor=None, appeal_id=unhappy.pk, satisfaction="dissatisfied", tracking_token=TOKEN)
    unhappy.refresh_from_db()
    assert (unhappy.status, unhappy.reopen_count) == (Status.REOPENED, 1)
    by_staff = _replied(tree, actors)
    services.appeal_follow_up(actor=actors["worker"], appeal_id=by_staff.pk, satisfaction="satisfied")
    by_staff.refresh_from_db()
    assert by_staff.status == Status.FOLLOWED_UP  # a call-back is noted, the worker closes


def _second_round(tree, actors):
    appeal = _replied(tree, actors)
    services.appeal_follow_up(actor=None, appeal_id=appeal.pk, satisfaction="dissatisfied", tracking_token=TOKEN)
    services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                             handler_user=actors["worker"])
    services.appeal_start(actor=actors["worker"], appeal_id=appeal.pk)
    services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, outcome="solved", text="已重新修好")
    appeal.refresh_from_db()
    return appeal


def test_the_tracking_page_shows_the_current_round_and_earlier_ratings_by_round(client, tree, actors):
    appeal = _second_round(tree, actors)
    page = client.get(reverse("appeals:track", args=[appeal.receipt_code, TOKEN])).content.decode()
    assert 'data-testid="rate"' in page
    assert 'data-testid="track-rating"' not in page  # the first round's 不满意 is not the current rating
    history = page.split('data-testid="rating-history"')[1].split("</ul>")[0]
    assert "第 1 轮" in history and "不满意" in history
    client.post(reverse("appeals:rate", args=[appeal.receipt_code, TOKEN]), {"satisfaction": "satisfied"})
    page = client.get(reverse("appeals:track", args=[appeal.receipt_code, TOKEN])).content.decode()
    assert 'data-testid="rate"' not in page
    assert "已办结" in page and "感谢您的评价" in page
    history = page.split('data-testid="rating-history"')[1].split("</ul>")[0]
    assert "第 1 轮" in history and "第 2 轮" in history and "满意" in history


def test_the_reply_message_carries_the_secret_tracking_link(client, tree, actors, django_capture_on_commit_callbacks):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, outcome="solved", text="已修好")
    text = OutboxMessage.objects.get(text__contains="已答复").text
    link = re.search(r"https?://\S+/appeals/t/(\w+)/([\w-]+)/", text)
    assert link and link.group(1) == appeal.receipt_code and link.group(2) != TOKEN
    page = client.get(link.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert page.status_code == 200 and 'data-testid="rate"' in page.content.decode()
    # a wrong token is still "not found"
    assert client.get(reverse("appeals:track", args=[appeal.receipt_code, link.group(2)[:-1] + "x"])).status_code == 404


def test_the_lookup_by_receipt_code_and_phone_can_rate(client, tree, actors):
    appeal = _replied(tree, actors)
    response = client.post(reverse("appeals:lookup"), {"receipt_code": appeal.receipt_code.lower(), "phone": PHONE})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rate"' in page
    rate_url = re.search(r'action="(/appeals/t/[^"]+/rate/)"', page).group(1)
    client.post(rate_url, {"satisfaction": "basic"})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.satisfaction) == (Status.CLOSED, "basic")
    wrong = client.post(reverse("appeals:lookup"), {"receipt_code": appeal.receipt_code, "phone": "13900000000"})
    assert wrong.status_code == 200 and "回执码或手机号不正确" in wrong.content.decode()
