"""The shared kernel: one transition shape, "who holds X here", place-code helpers, one audit shape."""
import datetime

import pytest
from django.utils import timezone

from minqing.accounts.models import Role
from minqing.accounts.policy import holder_ids, holders, nearest_holder
from minqing.accounts.services import role_revoke
from minqing.accounts.tests.factories import user_with_role
from minqing.alerts.models import Alert, Level, RuleCode, Status, Verb
from minqing.core.changes import object_create, object_update
from minqing.core.errors import TransitionNotAllowed
from minqing.core.models import AuditEntry
from minqing.core.transitions import TransitionTable, transition
from minqing.places import codes

TABLE = TransitionTable(name="test.alert", noun="预警", states=Status, verbs=Verb, moves={
    (Status.NEW, Verb.ACKNOWLEDGE): Status.ACKNOWLEDGED,
    (Status.ACKNOWLEDGED, Verb.HANDLE): Status.HANDLED,
})


def _alert(place):
    return Alert.objects.create(rule=RuleCode.values[0], trigger_key="k", subject_key="s", level=Level.values[0],
                                place=place, title="t", explanation="e", due_at=timezone.now())


def test_place_code_helpers():
    code = "110105003001002004"
    assert codes.community_code(code) == "110105003001"
    assert codes.street_code(code) == "110105003"
    assert codes.grid_code(code) == "110105003001002"
    assert codes.community_code("110105003") == ""
    assert codes.lineage(code, highest="community") == ["110105003001002004", "110105003001002", "110105003001"]
    assert codes.lineage("110105003") == ["110105003", "110105"]


def test_transition_moves_saves_and_writes_one_audit_row_in_the_one_shape(tree, actors):
    alert = _alert(tree["community_a"])
    seen = []
    TABLE.on_recorded(seen.append)
    try:
        entry = transition(alert, table=TABLE, verb=Verb.ACKNOWLEDGE, actor=actors["secretary"],
                           changes={"action_taken": "已联系"}, payload={"reason": "上门"})
    finally:
        TABLE.hooks.remove(seen.append)
    alert.refresh_from_db()
    assert alert.status == Status.ACKNOWLEDGED and alert.version == 2 and alert.action_taken == "已联系"
    assert AuditEntry.objects.for_object(alert).count() == 1
    assert entry.action == "test.alert.acknowledge"
    assert entry.changes == {"status": ["new", "acknowledged"], "action_taken": ["", "已联系"],
                             "reason": [None, "上门"]}
    assert entry.place_code == tree["community_a"].code
    assert [m.to_state for m in seen] == [Status.ACKNOWLEDGED]


def test_transition_refuses_what_the_table_does_not_list_and_changes_nothing(tree, actors):
    alert = _alert(tree["community_a"])
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(alert, table=TABLE, verb=Verb.HANDLE, actor=actors["secretary"])
    assert "预警当前为" in str(refused.value.message)
    alert.refresh_from_db()
    assert alert.status == Status.NEW and alert.version == 1
    assert not AuditEntry.objects.for_object(alert).exists()
    assert TABLE.verbs_from(Status.NEW) == [Verb.ACKNOWLEDGE]


def test_object_update_writes_only_real_changes(tree, actors):
    alert = _alert(tree["community_a"])
    assert object_update(alert, actor=actors["secretary"], action="x.change", changes={"title": "t"}) is None
    entry = object_update(alert, actor=actors["secretary"], action="x.change", changes={"title": "新"})
    assert entry.changes == {"title": ["t", "新"]}
    assert AuditEntry.objects.for_object(alert).count() == 1


def test_object_create_records_the_fields(tree, actors):
    alert = Alert(rule=RuleCode.values[0], trigger_key="k2", subject_key="s", level=Level.values[0],
                  place=tree["community_b"], title="标题", explanation="e", due_at=timezone.now())
    object_create(alert, actor=actors["admin"], action="x.create", fields=("title",))
    entry = AuditEntry.objects.for_object(alert).get()
    assert entry.changes == {"title": [None, "标题"]} and entry.place_code == tree["community_b"].code


def test_holders_climb_the_tree_and_stop_where_asked(tree, actors):
    building_a1 = tree["building_a1"].code
    dispatchers = set(holders("appeal.dispatch", building_a1).values_list("username", flat=True))
    # street staff, secretary and worker dispatch; grid workers, building heads, supervisors do not
    assert dispatchers == {"t_street", "t_secretary", "t_worker"}
    local = set(holders("appeal.dispatch", building_a1, highest="community").values_list("username", flat=True))
    assert local == {"t_secretary", "t_worker"}
    assert not holders("appeal.dispatch", tree["building_b1"].code, highest="community").exists()
    assert "t_admin" in set(holders("appeal.dispatch", building_a1, include_admins=True)
                            .values_list("username", flat=True))


def test_holder_ids_answer_as_holders_do_and_follow_a_revoked_grant_at_once(tree, actors):
    for perm in ("appeal.accept", "appeal.dispatch", "dispute.change"):
        for place in ("building_a1", "grid_a1", "community_a", "building_b1", "street"):
            for highest in (None, "community"):
                code = tree[place].code
                expected = sorted(holders(perm, code, highest=highest).values_list("pk", flat=True))
                assert holder_ids(perm, code, highest=highest) == expected, (perm, place, highest)
    worker = actors["worker"]
    assert worker.pk in holder_ids("appeal.accept", tree["building_a1"].code, highest="community")
    role_revoke(actor=actors["admin"], assignment=worker.assignments.get())
    assert worker.pk not in holder_ids("appeal.accept", tree["building_a1"].code, highest="community")
    actors["secretary"].is_active = False
    actors["secretary"].save()
    assert actors["secretary"].pk not in holder_ids("appeal.accept", tree["building_a1"].code, highest="community")


def test_nearest_holder_prefers_the_closest_grant(tree, actors):
    grid_b1 = user_with_role(Role.GRID_WORKER, tree["grid_b1"], username="t_grid_b1")
    assert nearest_holder("visit.change", tree["building_b1"].code, roles=(Role.GRID_WORKER,)) == grid_b1
    assert nearest_holder("alert.handle", tree["building_a1"].code,
                          roles=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF)) == actors["secretary"]
    assert nearest_holder("party.change", tree["building_b2"].code, roles=(Role.BRANCH_SECRETARY,)) is None
