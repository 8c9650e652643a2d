"""Staff pages of the board: create, publish, correct with a reason, withdraw — through the services."""
import pytest
from django.urls import reverse

from minqing.disclosure.models import Notice, NoticeStatus

pytestmark = pytest.mark.django_db


def test_secretary_writes_publishes_corrects_and_withdraws(client, tree, actors):
    client.force_login(actors["secretary"])
    response = client.post(reverse("disclosure:new"), {"community": tree["community_a"].pk, "kind": "meeting",
                                                       "title": "居民会议决定", "body": "同意加装电梯"})
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.status == NoticeStatus.DRAFT
    client.post(reverse("disclosure:publish", args=[notice.pk]), {"version": notice.version})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    html = client.post(reverse("disclosure:edit", args=[notice.pk]), {
        "title": "居民会议决定", "body": "同意加装电梯（12个单元）", "version": notice.version}).content.decode()
    assert "已发布的事项修改后会公开显示修改记录，请填写修改说明。" in html
    client.post(reverse("disclosure:edit", args=[notice.pk]), {
        "title": "居民会议决定", "body": "同意加装电梯（12个单元）", "reason": "补充单元数", "version": notice.version})
    notice.refresh_from_db()
    assert notice.revisions.count() == 2
    client.post(reverse("disclosure:withdraw", args=[notice.pk]), {"reason": "会议决定被撤销", "version": notice.version})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN


def test_worker_sees_but_cannot_publish(client, tree, actors):
    client.force_login(actors["worker"])
    assert client.get(reverse("disclosure:manage")).status_code == 200
    response = client.post(reverse("disclosure:new"), {"community": tree["community_a"].pk, "kind": "notice",
                                                       "title": "t", "body": "b"})
    assert response.status_code == 403 and not Notice.objects.exists()  # refused in words (issue 14.12)
    assert "您没有执行此操作的权限" in response.content.decode()


def test_other_community_notice_is_not_found_for_staff(client, tree, actors):
    from minqing.disclosure import services

    n = services.notice_create(actor=actors["admin"], community=tree["community_b"], kind="notice", title="B", body="b")
    client.force_login(actors["secretary"])
    assert client.get(reverse("disclosure:detail", args=[n.pk])).status_code == 404


def test_grid_worker_has_no_board_management(client, actors):
    client.force_login(actors["grid"])
    assert client.get(reverse("disclosure:manage")).status_code == 404
