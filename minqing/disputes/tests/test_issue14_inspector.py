"""Issue 14, item 12: the inspector (纪检监督, read-only) is not shown create/edit forms it cannot use; a
direct visit is refused with the permission message, not a form failing with "选择一个有效的选项"."""
import pytest
from django.urls import reverse

from minqing.disclosure import services as disclosure


def notice_draft(community, actor):
    return disclosure.notice_create(actor=actor, community=community, kind="notice", title="停水通知", body="周三停水")

pytestmark = pytest.mark.django_db

CREATE_PAGES = ["disputes:report", "disputes:screening_file", "disputes:assessment_open", "disclosure:new"]


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_the_inspector_is_refused_create_forms_with_the_permission_message(client, actors, name):
    client.force_login(actors["supervisor"])
    for response in (client.get(reverse(name)), client.post(reverse(name), {})):
        assert response.status_code == 403
        assert "您没有执行此操作的权限" in response.content.decode()
        assert "选择一个有效的选项" not in response.content.decode()


def test_the_inspector_sees_no_edit_link_nor_edit_form_of_a_notice(client, tree, actors):
    notice = notice_draft(tree["community_a"], actors["secretary"])
    client.force_login(actors["supervisor"])
    page = client.get(reverse("disclosure:detail", args=[notice.pk])).content.decode()
    assert reverse("disclosure:edit", args=[notice.pk]) not in page
    assert client.get(reverse("disclosure:edit", args=[notice.pk])).status_code == 403


@pytest.mark.parametrize("index, link", [("disputes:list", "disputes:report"),
                                         ("disputes:screening_list", "disputes:screening_file"),
                                         ("disputes:assessment_list", "disputes:assessment_open"),
                                         ("disclosure:manage", "disclosure:new")])
def test_the_inspector_sees_no_create_links(client, actors, index, link):
    client.force_login(actors["supervisor"])
    assert reverse(link) not in client.get(reverse(index)).content.decode()
