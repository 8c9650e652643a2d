"""A notification is read in the reader's language: stored as a message key and params, not as text."""
import pytest
from django.conf import settings

from minqing.appeals import notices
from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.notifications.messages import message, message_html
from minqing.notifications.models import Notification
from minqing.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def _panel(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/notifications/").content.decode()


def test_a_demand_notice_reads_in_english_for_an_english_reader_and_chinese_for_a_chinese_one(client, tree, actors):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"], title="顶楼漏雨")
    notices.notify_staff(appeal, kind="appeal.new", users=[actors["secretary"]],
                         text=message("新诉求待受理：%(t)s", t=appeal.title))
    row = Notification.objects.get(user=actors["secretary"])
    assert row.text == f"{appeal.receipt_code} 新诉求待受理：顶楼漏雨"  # the stored text stays in the default language
    english = _panel(client, actors["secretary"], "en")
    code = f"<span data-user-content>{appeal.receipt_code}</span>"
    assert f"{code} New demand awaiting acceptance: <span data-user-content>顶楼漏雨</span>" in english
    chinese = _panel(client, actors["secretary"], "zh-hans")
    assert f"{code} 新诉求待受理：<span data-user-content>顶楼漏雨</span>" in chinese


def test_a_message_param_can_itself_be_a_message_and_data_is_escaped(actors):
    notification_send(users=[actors["worker"]], kind="t",
                      message=message("%(code)s %(text)s", code="<x>", text=message("督办：%(t)s", t="a&b")))
    row = Notification.objects.get(user=actors["worker"])
    assert row.text == "<x> 督办：a&b"
    assert message_html(row.message) == ('<span data-user-content>&lt;x&gt;</span> 督办：'
                                         '<span data-user-content>a&amp;b</span>')


def test_an_older_notification_without_a_message_shows_its_stored_text(client, actors):
    Notification.objects.create(user=actors["worker"], kind="old", text="旧消息 <b>")
    assert "旧消息 &lt;b&gt;" in _panel(client, actors["worker"], "en")


def test_the_badge_counts_what_the_unread_list_holds(client, actors):
    """The badge's count is written as SQL (notifications.selectors.request_unread_count): it agrees with the
    unread list, for this reader only."""
    from django.utils import timezone

    from minqing.notifications.selectors import notification_list

    worker, other = actors["worker"], actors["secretary"]
    for i in range(3):
        Notification.objects.create(user=worker, kind="t", text=f"未读{i}")
    Notification.objects.create(user=worker, kind="t", text="已读", read_at=timezone.now())
    Notification.objects.create(user=other, kind="t", text="别人的")
    client.force_login(worker)
    page = client.get("/appeals/").content.decode()
    expected = notification_list(actor=worker, unread_only=True).count()
    assert expected == 3 and f'<span class="count">{expected}</span>' in page
