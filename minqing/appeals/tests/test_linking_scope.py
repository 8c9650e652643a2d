"""Linking (recurrence, one matter, merge) and scope: each role sees exactly its part."""
import datetime

import pytest
from django.utils import timezone

from minqing.appeals import services
from minqing.appeals.models import Appeal, Status
from minqing.appeals.selectors import (
    appeal_get, appeal_linked, appeal_list, appeal_overdue_list, appeal_recurrence_candidates, appeal_todo_sections,
)
from minqing.core.errors import NotFound, TransitionNotAllowed, ValidationError
from minqing.notifications.models import OutboxMessage

from .factories import AppealFactory, appeal_in

pytestmark = pytest.mark.django_db


def test_recurrence_is_proposed_and_linked(tree, actors):
    first = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"],
                      closed_at=timezone.now() - datetime.timedelta(days=20))
    again = appeal_in(Status.SUBMITTED, place=tree["building_a1"], submitted_at=timezone.now())
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=again) == [first]
    services.appeal_link(actor=actors["secretary"], appeal_id=again.pk, target_id=first.pk, kind="recurrence")
    again.refresh_from_db()
    assert again.recurrence_of == first and again.status == Status.SUBMITTED
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=again) == []


def test_recurrence_outside_the_window_is_refused(tree, actors):
    old = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"],
                    closed_at=timezone.now() - datetime.timedelta(days=200))
    new = appeal_in(Status.SUBMITTED, place=tree["building_a1"], submitted_at=timezone.now())
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=new) == []
    with pytest.raises(ValidationError) as exc:
        services.appeal_link(actor=actors["secretary"], appeal_id=new.pk, target_id=old.pk, kind="recurrence")
    assert exc.value.fields == {"target": ["只能关联 90 天内已办结的诉求为复发。"]}


def test_several_residents_one_matter_each_answered(tree, actors):
    first = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"])
    second = appeal_in(Status.ACCEPTED, place=tree["building_a2"])
    third = appeal_in(Status.SUBMITTED, place=tree["building_a2"])
    services.appeal_link(actor=actors["secretary"], appeal_id=second.pk, target_id=first.pk, kind="matter")
    services.appeal_link(actor=actors["secretary"], appeal_id=third.pk, target_id=second.pk, kind="matter")
    third.refresh_from_db()
    assert third.matter == first  # flattened to the first of the matter
    assert {a.pk for a in first.matter_members.all()} == {second.pk, third.pk}
    assert third.status == Status.SUBMITTED  # still answered on its own


def test_merge_keeps_every_reporter(tree, actors, django_capture_on_commit_callbacks):
    keep = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"])
    dup = appeal_in(Status.SUBMITTED, place=tree["building_a1"], phone_masked="139****0000")
    services.appeal_merge(actor=actors["secretary"], appeal_id=dup.pk, into_id=keep.pk)
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into, dup.matter) == (Status.MERGED, keep, keep)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_reply(actor=actors["worker"], appeal_id=keep.pk, outcome="solved", text="已修好")
    # both reporters hear about the reply, each with their own receipt code
    texts = list(OutboxMessage.objects.values_list("text", flat=True))
    assert any(keep.receipt_code in t for t in texts) and any(dup.receipt_code in t for t in texts)
    with pytest.raises(TransitionNotAllowed):  # the survivor is replied: no longer a duplicate to merge
        services.appeal_merge(actor=actors["secretary"], appeal_id=keep.pk, into_id=dup.pk)
    third = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    with pytest.raises(ValidationError) as exc:
        services.appeal_merge(actor=actors["secretary"], appeal_id=third.pk, into_id=dup.pk)
    assert exc.value.fields == {"into": ["目标诉求已合并或不予受理，请选择继续办理的诉求。"]}


def test_scope_each_role_sees_its_part(tree, actors, heating):
    a1 = AppealFactory(place=tree["building_a1"])
    a2 = AppealFactory(place=tree["building_a2"])
    b1 = AppealFactory(place=tree["building_b1"])
    sent = appeal_in(Status.DISPATCHED, place=tree["building_a2"], handler_unit=heating["unit"])

    def seen(name):
        return set(appeal_list(actor=actors[name] if isinstance(name, str) else name).values_list("pk", flat=True))

    assert seen("street") == seen("supervisor") == {a1.pk, a2.pk, b1.pk, sent.pk}
    assert seen("worker") == {a1.pk, a2.pk, sent.pk}
    assert seen("grid") == {a1.pk}  # grid worker of A1
    assert seen(heating["user"]) == {sent.pk}  # only what was sent to the unit
    assert seen(heating["other_user"]) == set()
    assert seen("building") == set()  # building heads take demands in, they do not read the list
    with pytest.raises(NotFound):
        appeal_get(actor=actors["grid"], appeal_id=a2.pk)
    with pytest.raises(NotFound):
        appeal_get(actor=heating["other_user"], appeal_id=sent.pk)
    with pytest.raises(NotFound):
        services.appeal_reply(actor=heating["other_user"], appeal_id=sent.pk, outcome="solved", text="x")


def test_partner_unit_cannot_do_staff_verbs(tree, actors, heating):
    sent = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler_unit=heating["unit"])
    from minqing.core.errors import PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        services.appeal_reopen(actor=heating["user"], appeal_id=sent.pk, reason="x")
    services.appeal_start(actor=heating["user"], appeal_id=sent.pk)
    services.appeal_reply(actor=heating["user"], appeal_id=sent.pk, outcome="solved", text="已更换阀门")
    assert Appeal.objects.get(pk=sent.pk).status == Status.REPLIED


def appeal_todo_list(*, actor):
    return {name: rows for name, (rows, _size) in appeal_todo_sections(actor=actor, limit=50).items()}


def test_todo_sections(tree, actors, heating):
    now = timezone.now()
    new = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    returned = appeal_in(Status.RETURNED, place=tree["building_a1"], dispatched_by=actors["secretary"])
    late = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"],
                     handle_deadline=now - datetime.timedelta(hours=3))
    soon = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"],
                     handle_deadline=now + datetime.timedelta(hours=5))
    later = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"],
                      handle_deadline=now + datetime.timedelta(days=5))
    todo = appeal_todo_list(actor=actors["worker"])
    assert [a.pk for a in todo["new"]] == [new.pk]
    assert [a.pk for a in todo["overdue"]] == [late.pk]
    assert [a.pk for a in todo["due_soon"]] == [soon.pk]
    assert [a.pk for a in todo["mine"]] == [later.pk]
    assert [a.pk for a in appeal_todo_list(actor=actors["secretary"])["returned"]] == [returned.pk]
    assert appeal_todo_list(actor=heating["user"])["new"] == []
    assert [a.pk for a in appeal_overdue_list(actor=actors["street"])] == [late.pk]
    assert list(appeal_overdue_list(actor=actors["grid"])) == [late]  # building A1 lies in grid A1


def test_supervision_records_who_pressed_whom_and_the_answer(tree, actors, heating, django_capture_on_commit_callbacks):
    appeal = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler_unit=heating["unit"],
                       leader=actors["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        record = services.appeal_supervise(actor=actors["street"], appeal_id=appeal.pk, demand="三天内必须修好")
    assert (record.supervisor, record.pressed_unit, record.answered_at) == (actors["street"], heating["unit"], None)
    assert heating["user"].notifications.filter(kind="appeal.supervise").count() == 1
    assert actors["secretary"].notifications.filter(kind="appeal.supervise").count() == 1
    services.appeal_supervision_answer(actor=heating["user"], supervision_id=record.pk, answer="明天上午派人")
    record.refresh_from_db()
    assert record.answer == "明天上午派人" and record.answered_by == heating["user"]
    appeal.refresh_from_db()
    assert appeal.supervision_count == 1
    with pytest.raises(ValidationError):
        services.appeal_supervise(actor=actors["street"], appeal_id=appeal.pk, demand=" ")


def test_a_link_reads_as_words_in_the_timeline(client, tree, actors):
    first = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"],
                      closed_at=timezone.now() - datetime.timedelta(days=20))
    again = appeal_in(Status.SUBMITTED, place=tree["building_a1"], submitted_at=timezone.now())
    services.appeal_link(actor=actors["secretary"], appeal_id=again.pk, target_id=first.pk, kind="recurrence")
    client.force_login(actors["secretary"])
    page = client.get(f"/appeals/{again.pk}/").content.decode()
    assert f"复发自 {first.receipt_code}" in page and "recurrence →" not in page


def test_the_demand_page_lists_merged_duplicates_the_matter_and_supervisions(client, tree, actors, heating):
    keep = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler_unit=heating["unit"])
    dup = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    same = appeal_in(Status.ACCEPTED, place=tree["building_a2"])
    services.appeal_merge(actor=actors["secretary"], appeal_id=dup.pk, into_id=keep.pk)
    services.appeal_link(actor=actors["secretary"], appeal_id=same.pk, target_id=keep.pk, kind="matter")
    elsewhere = appeal_in(Status.ACCEPTED, place=tree["building_b1"])
    services.appeal_link(actor=actors["street"], appeal_id=elsewhere.pk, target_id=keep.pk, kind="matter")
    assert [a.pk for a in appeal_linked(actor=actors["street"], appeal=keep)[0]] == [dup.pk]
    assert {a.pk for a in appeal_linked(actor=actors["street"], appeal=keep)[1]} == {dup.pk, same.pk, elsewhere.pk}
    # community A's worker is not shown community B's demand
    assert {a.pk for a in appeal_linked(actor=actors["worker"], appeal=keep)[1]} == {dup.pk, same.pk}
    client.force_login(actors["street"])
    page = client.get(f"/appeals/{keep.pk}/").content.decode()
    assert dup.receipt_code in page and same.receipt_code in page and 'data-testid="supervisions"' not in page
    services.appeal_supervise(actor=actors["street"], appeal_id=keep.pk, demand="三天内必须修好")
    page = client.get(f"/appeals/{keep.pk}/").content.decode()
    assert 'data-testid="supervisions"' in page and "三天内必须修好" in page
    assert appeal_linked(actor=actors["street"], appeal=same) == ([], [], [])
