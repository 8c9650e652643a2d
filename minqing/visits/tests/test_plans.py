"""Who is due or overdue: the shortest matching cycle, editable; never-visited households first."""
import datetime

import pytest

from minqing.residents.models import CareTag, ResidentStatus
from minqing.residents.tests.factories import make_resident
from minqing.visits import services
from minqing.visits.plans import due_counts, due_list

from .factories import household, visit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def scene(tree, actors):
    b = tree["building_a1"]
    elder = household(b, "孤老", tags=["elder_alone"])
    plain = household(b, "普通户")
    soon = household(b, "快到期户")
    never = household(b, "从未走访户")
    worker = actors["worker"]
    visit(worker, elder, TODAY - datetime.timedelta(days=40))
    visit(worker, plain, TODAY - datetime.timedelta(days=40))
    visit(worker, soon, TODAY - datetime.timedelta(days=85))
    return {"elder": elder, "plain": plain, "soon": soon, "never": never}


def test_due_list_uses_the_shortest_cycle(scene, actors):
    rows = {r.household_id: r for r in due_list(actor=actors["grid"], today=TODAY, include_ok=True)}
    elder = rows[scene["elder"].pk]
    assert (elder.interval_days, elder.reason, elder.state, elder.days_overdue) == (30, "独居/空巢老人", "overdue", 10)
    assert (rows[scene["plain"].pk].state, rows[scene["plain"].pk].due_on) == ("ok", TODAY + datetime.timedelta(days=50))
    assert (rows[scene["soon"].pk].state, rows[scene["soon"].pk].due_on) == ("soon", TODAY + datetime.timedelta(days=5))
    assert (rows[scene["never"].pk].state, rows[scene["never"].pk].last_visit) == ("overdue", None)


def test_the_to_do_list_orders_overdue_first_and_hides_ok(scene, actors):
    rows = due_list(actor=actors["grid"], today=TODAY)
    assert [r.household_id for r in rows] == [scene["never"].pk, scene["elder"].pk, scene["soon"].pk]


def test_editing_a_cycle_changes_the_list(scene, actors):
    services.visit_cycle_set(actor=actors["admin"], interval_days=30)  # every household monthly
    rows = {r.household_id: r for r in due_list(actor=actors["grid"], today=TODAY)}
    assert rows[scene["plain"].pk].state == "overdue" and rows[scene["plain"].pk].days_overdue == 10


def test_a_community_may_shorten_a_tag_cycle(scene, actors, tree):
    services.visit_cycle_set(actor=actors["secretary"], interval_days=20, community=tree["community_a"],
                             tag=CareTag.objects.get(code="elder_alone"))
    row = next(r for r in due_list(actor=actors["grid"], today=TODAY) if r.household_id == scene["elder"].pk)
    assert (row.interval_days, row.days_overdue) == (20, 20)


def test_grid_worker_cannot_set_a_global_cycle(scene, actors):
    from minqing.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.visit_cycle_set(actor=actors["grid"], interval_days=10)


def test_scope_of_the_list(scene, actors, tree):
    household(tree["building_b1"], "B社区户")
    assert len(due_list(actor=actors["grid"], today=TODAY, include_ok=True)) == 4
    assert due_list(actor=actors["branch"], today=TODAY) == []  # no visit.view


def test_due_list_query_count(scene, actors, django_assert_max_num_queries):
    for n in range(10):
        household(scene["plain"].building, f"户{n}")
    with django_assert_max_num_queries(6):
        due_list(actor=actors["grid"], today=TODAY)


def test_printable_visit_sheet(client, scene, actors):
    from django.urls import reverse

    client.force_login(actors["grid"])
    response = client.get(reverse("visits:due_print"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["grid", "worker", "secretary", "street"])
def test_the_panel_counts_are_the_lists_states(scene, actors, role):
    # households with and without a care tag share one building: the cycle remembered per (community, tags)
    # must still give each its own
    rows = due_list(actor=actors[role], today=TODAY, include_ok=True)
    expected = {"overdue": sum(r.state == "overdue" for r in rows), "soon": sum(r.state == "soon" for r in rows)}
    assert due_counts(actor=actors[role], today=TODAY) == expected
    assert expected == {"overdue": 2, "soon": 1}


@pytest.mark.parametrize("role", ["grid", "worker", "secretary", "street"])
def test_the_panel_counts_match_the_list_across_cycles_tags_and_communities(tree, actors, role):
    """The panel counts untagged households by (community, last visit) in SQL and walks the tagged ones; the list
    walks them all. Over two communities, a community's own cycles, tags with and without a cycle, a tag that
    ended, a departed member and visits on either side of the cut-offs, both give every household the same state."""
    services.visit_cycle_set(actor=actors["secretary"], interval_days=45, community=tree["community_a"])
    services.visit_cycle_set(actor=actors["secretary"], interval_days=20, community=tree["community_a"],
                             tag=CareTag.objects.get(code="elder_alone"))
    worker = actors["worker"]
    tag_sets = [(), ("elder_alone",), ("disability",), ("retired",), ("elder_alone", "disability")]
    for building in ("building_a1", "building_a2", "building_b1"):
        for n, days_ago in enumerate((None, 0, 6, 7, 8, 19, 21, 38, 44, 46, 83, 84, 89, 91, 200)):
            h = household(tree[building], f"户{n}", tags=tag_sets[n % len(tag_sets)])
            if days_ago is not None:
                visit(worker if building != "building_b1" else actors["admin"], h,
                      TODAY - datetime.timedelta(days=days_ago))
    ended = household(tree["building_a1"], "标签已结束户", tags=["elder_alone"])
    ended_tag = ended.members.get().tags.get()
    ended_tag.end_date = TODAY - datetime.timedelta(days=1)
    ended_tag.save()
    # visited 25 days ago: within the community's 45 days, past the elders' 20 — were either counted under the
    # tag's cycle, the overdue would be one too many
    departed = household(tree["building_a1"], "老人已迁出户")
    make_resident(departed, "迁出的老人", relation="parent", status=ResidentStatus.MOVED_OUT).tags.create(
        tag=CareTag.objects.get(code="elder_alone"), start_date=datetime.date(2020, 1, 1),
        place_code=departed.place_code)
    gone = household(tree["building_a1"], "已注销户", tags=["elder_alone"], active=False)
    for h in (departed, gone):
        visit(worker, h, TODAY - datetime.timedelta(days=25))
    rows = due_list(actor=actors[role], today=TODAY, include_ok=True)
    expected = {"overdue": sum(r.state == "overdue" for r in rows), "soon": sum(r.state == "soon" for r in rows)}
    assert due_counts(actor=actors[role], today=TODAY) == expected
    assert expected["overdue"] and expected["soon"] and len(rows) > sum(expected.values())
