"""The role matrix: each role reads exactly its part of the party records; outside its scope a record
is 404, inside but not allowed to change it 403 (policy.ensure_can)."""
import datetime

import pytest
from django.urls import reverse

from minqing.party import selectors
from minqing.party.models import SessionKind
from minqing.party import services

from .factories import member, org, resident

pytestmark = pytest.mark.django_db

# role → which of the members (a1: branch on grid A1, a2: on grid A2, b1: community B) it reads
READS = {
    "admin": {"a1", "a2", "b1"}, "street": {"a1", "a2", "b1"}, "supervisor": {"a1", "a2", "b1"},
    "secretary": {"a1", "a2"}, "worker": {"a1", "a2"}, "branch": {"a2"},
    "grid": set(), "building": set(), "partner": set(),
}
WRITES = {"admin", "secretary", "branch"}


@pytest.fixture
def world(tree):
    branches = {key: org(tree[f"grid_{key}"]) for key in ("a1", "a2", "b1")}
    members = {key: member(branches[key], tree[f"building_{key}"], f"党员{key}") for key in branches}
    return branches, members


@pytest.mark.parametrize("role", sorted(READS))
def test_each_role_reads_exactly_its_part(actors, world, role):
    _branches, members = world
    got = set(selectors.member_list(actor=actors[role]).values_list("pk", flat=True))
    assert got == {members[k].pk for k in READS[role]}
    orgs = set(selectors.org_list(actor=actors[role]).values_list("place_code", flat=True))
    assert orgs == {members[k].place_code for k in READS[role]}


@pytest.mark.parametrize("role", sorted(READS))
def test_member_page_is_404_outside_scope(client, actors, world, role):
    _branches, members = world
    client.force_login(actors[role])
    for key, m in members.items():
        response = client.get(reverse("party:member", args=[m.pk]))
        assert response.status_code == (200 if key in READS[role] else 404), key


@pytest.mark.parametrize("role", sorted(READS))
def test_changing_a_member_is_403_inside_scope_without_the_right(client, actors, world, role):
    _branches, members = world
    client.force_login(actors[role])
    m = members["a2"]
    response = client.post(reverse("party:member_transfer", args=[m.pk, "out"]),
                           {"date": datetime.date.today().isoformat(), "other": "外地", "version": m.version})
    expected = 302 if role in WRITES else (403 if "a2" in READS[role] else 404)
    assert response.status_code == expected


def test_supervisor_reads_but_never_writes(client, actors, world):
    branches, members = world
    client.force_login(actors["supervisor"])
    assert client.get(reverse("party:figures")).status_code == 200
    assert client.get(reverse("party:session_new")).status_code == 404  # no party.change anywhere
    response = client.post(reverse("party:service_new", args=[members["a1"].pk]),
                           {"served_on": datetime.date.today().isoformat(), "hours": "1", "what": "x"})
    assert response.status_code == 403


def test_branch_secretary_sees_only_edge_members_of_their_section(actors, tree, world):
    resident(tree["building_a2"], "边缘甲", political_status="party")
    resident(tree["building_a1"], "边缘乙", political_status="party")
    names = set(selectors.edge_list(actor=actors["branch"]).values_list("name", flat=True))
    assert names == {"边缘甲"}
    assert set(selectors.edge_list(actor=actors["secretary"]).values_list("name", flat=True)) == {"边缘甲", "边缘乙"}


def test_sessions_of_another_branch_are_404(client, actors, world):
    branches, _members = world
    session = services.session_plan(actor=actors["admin"], org=branches["a1"], kind=SessionKind.LESSON,
                                    planned_on=datetime.date.today(), topic="党课")
    client.force_login(actors["branch"])
    assert client.get(reverse("party:session", args=[session.pk])).status_code == 404
    assert client.post(reverse("party:session_cancel", args=[session.pk]), {"reason": "x"}).status_code == 404
