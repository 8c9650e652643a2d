"""The role matrix on the two-community tree: for each role, exactly what it can see and change.

Later modules extend the matrix for their own records; this one covers places, permissions,
assignments and the audit trail, which every role meets.
"""
import pytest

from minqing.accounts.policy import ROLE_PERMISSIONS, can, ensure_can, partner_unit_ids, scope_q
from minqing.core.errors import NotFound, PermissionDenied
from minqing.places.models import Place
from minqing.places.selectors import place_get, place_list

pytestmark = pytest.mark.django_db

# role → the places (by tree key) it sees; everything else in the tree must be invisible.
VISIBLE = {
    "admin": "all",
    "street": "all-below-street",
    "secretary": ["community_a", "grid_a1", "grid_a2", "building_a1", "building_a2"],
    "worker": ["community_a", "grid_a1", "grid_a2", "building_a1", "building_a2"],
    "grid": ["grid_a1", "building_a1"],
    "building": ["building_a1"],
    "branch": ["grid_a2", "building_a2"],
    "partner": [],
    "supervisor": "all-below-street",
}


def _expected_codes(tree, role):
    rule = VISIBLE[role]
    if rule == "all":
        return {p.code for p in tree.values()}
    if rule == "all-below-street":
        return {p.code for p in tree.values() if p.code.startswith(tree["street"].code)}
    return {tree[key].code for key in rule}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_exactly_its_places(tree, actors, role):
    seen = set(place_list(actor=actors[role]).values_list("code", flat=True))
    assert seen == _expected_codes(tree, role)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_outside_scope_answers_like_not_found(tree, actors, role):
    expected = _expected_codes(tree, role)
    for key, place in tree.items():
        if place.code in expected:
            assert place_get(actor=actors[role], code=place.code) == place
        else:
            with pytest.raises(NotFound) as outside:
                place_get(actor=actors[role], code=place.code)
            with pytest.raises(NotFound) as missing:
                place_get(actor=actors[role], code="999999999999")
            assert outside.value.as_dict() == missing.value.as_dict()


# role → (permission, place key, allowed?) — what it may change, at home and next door.
CHANGE_MATRIX = [
    ("admin", "place.change", "community_b", True),
    ("street", "appeal.dispatch", "community_b", True),
    ("street", "ledger.change", "community_a", False),
    ("secretary", "appeal.dispatch", "community_a", True),
    ("secretary", "appeal.dispatch", "community_b", False),
    ("secretary", "ledger.reveal_pii", "grid_a2", True),
    ("worker", "ledger.change", "building_a2", True),
    ("worker", "ledger.change", "community_b", False),
    ("worker", "audit.view", "community_a", False),
    ("grid", "ledger.change", "building_a1", True),
    ("grid", "ledger.change", "building_a2", False),
    ("grid", "visit.change", "grid_a1", True),
    ("grid", "appeal.dispatch", "grid_a1", False),
    ("building", "ledger.view", "building_a1", True),
    ("building", "ledger.change", "building_a1", False),
    ("building", "ledger.reveal_pii", "building_a1", False),
    ("branch", "party.change", "grid_a2", True),
    ("branch", "party.change", "grid_a1", False),
    ("partner", "ledger.view", "community_a", False),
    ("partner", "appeal.view", "community_a", False),  # partners see what was sent to them, not places
    ("supervisor", "appeal.supervise", "community_b", True),
    ("supervisor", "ledger.change", "community_a", False),
    ("supervisor", "appeal.dispatch", "community_a", False),
    ("supervisor", "audit.view", "community_b", True),
]


@pytest.mark.parametrize("role,perm,key,allowed", CHANGE_MATRIX)
def test_change_matrix(tree, actors, role, perm, key, allowed):
    assert can(actors[role], perm, tree[key].code) is allowed


def test_refusal_is_forbidden_when_visible_and_not_found_when_not(tree, actors):
    with pytest.raises(PermissionDenied):
        ensure_can(actors["supervisor"], "ledger.change", tree["community_a"].code)
    with pytest.raises(NotFound):
        ensure_can(actors["grid"], "ledger.change", tree["community_b"].code)


def test_supervisor_never_edits():
    changes = {p for p in ROLE_PERMISSIONS["supervisor"] if not p.endswith(".view")}
    assert changes == {"appeal.supervise"}


def test_partner_unit_scope_is_its_unit(actors):
    assert len(partner_unit_ids(actors["partner"])) == 1
    assert partner_unit_ids(actors["secretary"]) == set()


def test_nobody_sees_anything_without_assignments(tree, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-very-long-password")
    assert not Place.objects.filter(scope_q(stranger, "place.view", field="code")).exists()


def test_revoked_assignment_no_longer_counts(tree, actors):
    from minqing.accounts.services import role_revoke

    grid_worker = actors["grid"]
    role_revoke(actor=actors["admin"], assignment=grid_worker.assignments.get())
    grid_worker.refresh_from_db()
    assert not place_list(actor=grid_worker).exists()
