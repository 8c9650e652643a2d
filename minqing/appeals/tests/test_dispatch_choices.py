"""The dispatch form offers exactly the people appeal_dispatch accepts (policy.holders ↔ policy.can)."""
import pytest

from minqing.appeals import services
from minqing.appeals.models import Appeal, Status
from minqing.appeals.selectors import appeal_dispatch_choices

from .factories import appeal_in

pytestmark = pytest.mark.django_db


def _dispatch(appeal, actors, *, leader, handler):
    return services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=leader,
                                    handler_user=handler)


def test_every_offered_leader_and_handler_is_accepted(tree, actors):
    # given a demand at a building, ready for dispatch
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    choices = appeal_dispatch_choices(appeal=appeal)
    leaders, handlers = list(choices["leaders"]), list(choices["handlers"])
    assert leaders and handlers
    # when each offered pair is dispatched, then the service accepts it
    for leader in leaders:
        for handler in handlers:
            Appeal.objects.filter(pk=appeal.pk).update(status=Status.ACCEPTED)
            assert _dispatch(appeal, actors, leader=leader, handler=handler).status == Status.DISPATCHED


def test_building_heads_inspectors_and_partner_units_are_not_offered(tree, actors):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    choices = appeal_dispatch_choices(appeal=appeal)
    offered = set(choices["leaders"]) | set(choices["handlers"])
    for role in ("building", "supervisor", "partner", "branch"):
        assert actors[role] not in offered, role
    assert set(choices["leaders"]) == {actors["street"], actors["secretary"], actors["worker"]}
    assert set(choices["handlers"]) == {actors["secretary"], actors["worker"], actors["grid"]}


def test_people_of_another_community_are_not_offered(tree, actors):
    appeal = appeal_in(Status.ACCEPTED, place=tree["community_b"])
    choices = appeal_dispatch_choices(appeal=appeal)
    assert actors["secretary"] not in set(choices["leaders"]) | set(choices["handlers"])
