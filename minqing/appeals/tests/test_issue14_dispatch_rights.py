"""Issue 14, item 4: the dispatch form offers only people the service accepts; building heads and branch
secretaries follow what they registered; the service-level table and the working-day calendar can be read
by those who dispatch by them (secretary, worker, street staff), and changed only by administrators."""
import pytest
from django.urls import reverse

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.appeals.intake import appeal_submit
from minqing.appeals.models import Channel, Status
from minqing.appeals.selectors import appeal_dispatch_choices

from .factories import appeal_in

pytestmark = pytest.mark.django_db


def test_the_dispatch_form_offers_only_people_the_service_accepts(client, tree, actors):
    other_grid = user_with_role(Role.GRID_WORKER, tree["grid_a2"], username="t_grid_a2")
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    choices = appeal_dispatch_choices(appeal=appeal)
    handlers = set(choices["handlers"])
    leaders = set(choices["leaders"])
    assert handlers == {actors["secretary"], actors["worker"], actors["grid"]}
    assert actors["supervisor"] not in handlers | leaders and actors["building"] not in handlers | leaders
    assert other_grid not in handlers  # a grid worker of another grid may not reply here
    assert leaders == {actors["street"], actors["secretary"], actors["worker"]}
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    form = page.split('name="dispatch-handler_user"')[1].split("</select>")[0]
    assert f'value="{actors["worker"].pk}"' in form and f'value="{actors["supervisor"].pk}"' not in form
    assert f'value="{actors["building"].pk}"' not in form


@pytest.mark.parametrize("who", ["building", "branch"])
def test_who_registers_a_demand_can_follow_it(client, tree, actors, who):
    place = tree["building_a1"] if who == "building" else tree["grid_a2"]
    client.force_login(actors[who])
    response = client.post(reverse("appeals:intake"), {
        "place": place.pk, "channel": Channel.WALK_IN, "kind": "help", "urgency": "normal",
        "text": "楼道里堆满杂物，影响通行", "title": "楼道堆物"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "楼道堆物" in detail.content.decode()
    assert "楼道堆物" in client.get(reverse("appeals:intake")).content.decode()  # "我登记的诉求"
    others = appeal_submit(actor=actors["worker"], place=tree["building_a1"], text="别人登记的诉求内容",
                           channel=Channel.WALK_IN)
    assert client.get(reverse("appeals:detail", args=[others.pk])).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "worker", "street"])
def test_dispatchers_read_the_service_levels_and_the_calendar(client, actors, who):
    client.force_login(actors[who])
    levels = client.get(reverse("appeals:taxonomy"))
    assert levels.status_code == 200 and "工作日" in levels.content.decode()
    assert 'name="urgency"' not in levels.content.decode()  # no edit forms
    assert client.post(reverse("appeals:taxonomy"), {"name": "新分类"}).status_code == 403
    calendar = client.get(reverse("workdays:year"))
    assert calendar.status_code == 200 and 'name="date"' not in calendar.content.decode()
    assert client.post(reverse("workdays:year"), {"date": "2027-01-01", "kind": "holiday"}).status_code == 403


def test_the_building_head_still_cannot_read_the_service_levels(client, actors):
    client.force_login(actors["building"])
    assert client.get(reverse("appeals:taxonomy")).status_code == 404
    assert client.get(reverse("workdays:year")).status_code == 404
