"""The full transition table: every (state, verb) pair, through the real services."""
import datetime

import pytest
from django.utils import timezone

from minqing.appeals import services
from minqing.appeals.events import recorded_verb
from minqing.appeals.models import APPEAL, OPEN_STATUSES, AppealEvent, Status
from minqing.core.errors import TransitionNotAllowed
from minqing.core.models import AuditEntry

from .factories import AppealFactory, appeal_in

pytestmark = pytest.mark.django_db


def call(verb, appeal, actors, tree):
    a = actors
    match verb:
        case "accept":
            return services.appeal_accept(actor=a["secretary"], appeal_id=appeal.pk)
        case "reject":
            return services.appeal_reject(actor=a["secretary"], appeal_id=appeal.pk, reason="不属于社区职责")
        case "dispatch":
            return services.appeal_dispatch(actor=a["secretary"], appeal_id=appeal.pk, leader=a["secretary"],
                                            handler_user=a["worker"])
        case "start":
            return services.appeal_start(actor=a["worker"], appeal_id=appeal.pk)
        case "return":
            return services.appeal_return(actor=a["worker"], appeal_id=appeal.pk, reason="应由供热站办理")
        case "reply":
            return services.appeal_reply(actor=a["worker"], appeal_id=appeal.pk, outcome="solved", text="已修复")
        case "follow_up":
            return services.appeal_follow_up(actor=a["secretary"], appeal_id=appeal.pk, satisfaction="satisfied")
        case "follow_up_reopen":
            return services.appeal_follow_up(actor=a["secretary"], appeal_id=appeal.pk, satisfaction="dissatisfied")
        case "close":
            return services.appeal_close(actor=a["secretary"], appeal_id=appeal.pk)
        case "close_unrated":
            return services.appeal_close_unrated(appeal_id=appeal.pk, now=timezone.now() + datetime.timedelta(days=30))
        case "link":
            other = AppealFactory(place=tree["building_a1"])
            return services.appeal_link(actor=a["secretary"], appeal_id=appeal.pk, target_id=other.pk, kind="matter")
        case "reopen":
            return services.appeal_reopen(actor=a["secretary"], appeal_id=appeal.pk, reason="居民再次反映")
        case "merge":
            into = AppealFactory(place=tree["building_a1"])
            return services.appeal_merge(actor=a["secretary"], appeal_id=appeal.pk, into_id=into.pk)
        case "supervise":
            services.appeal_supervise(actor=a["street"], appeal_id=appeal.pk, demand="请加快办理")
            appeal.refresh_from_db()
            return appeal
    raise AssertionError(verb)


VERBS = list(dict.fromkeys(verb for (_state, verb) in APPEAL.moves))
PAIRS = [(status, verb) for status in Status.values for verb in VERBS]
# The scheduler's close is a no-op (None) where the table refuses it: someone acted first.
NO_OP_WHEN_REFUSED = {"close_unrated"}


@pytest.mark.parametrize("status, verb", PAIRS)
def test_every_state_and_verb(status, verb, tree, actors):
    # given a demand in `status`, dispatched to the worker where that applies
    appeal = appeal_in(status, place=tree["building_a1"], handler=actors["worker"], leader=actors["secretary"])
    expected = APPEAL.target(status, verb)
    events_before = AppealEvent.objects.filter(appeal=appeal).count()
    if expected is None and verb in NO_OP_WHEN_REFUSED:
        assert call(verb, appeal, actors, tree) is None
        appeal.refresh_from_db()
        assert appeal.status == status
        assert AppealEvent.objects.filter(appeal=appeal).count() == events_before
    elif expected is None:
        # when / then: refused with a clear message, nothing written
        with pytest.raises(TransitionNotAllowed) as exc:
            call(verb, appeal, actors, tree)
        assert exc.value.code == "transition_not_allowed"
        assert "不能" in str(exc.value.message) and str(Status(status).label) in str(exc.value.message)
        appeal.refresh_from_db()
        assert appeal.status == status
        assert AppealEvent.objects.filter(appeal=appeal).count() == events_before
    else:
        result = call(verb, appeal, actors, tree)
        result.refresh_from_db()
        assert result.status == expected
        event = AppealEvent.objects.filter(appeal=appeal).last()
        assert (event.verb, event.from_status, event.to_status) == (recorded_verb(verb), status, expected)
        action = f"appeal.{recorded_verb(verb)}"
        assert AuditEntry.objects.filter(object_id=str(appeal.pk), action=action).count() == 1


def test_table_shape():
    # supervision is possible on every open demand and moves nothing
    assert {state for (state, verb) in APPEAL.moves if verb == "supervise"} == set(OPEN_STATUSES)
    assert all(APPEAL.moves[(state, "supervise")] == state for state in OPEN_STATUSES)
    # a rejected or merged demand is final: it can only be linked to (which moves nothing)
    for final in (Status.REJECTED, Status.MERGED):
        assert APPEAL.verbs_from(final) == ["link"]


def test_staff_cannot_close_a_reply_nobody_followed_up(tree, actors):
    # settled: the table refuses "close" from replied (only the scheduler's close_unrated takes that row),
    # so the service, the table and the action list agree
    appeal = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"])
    with pytest.raises(TransitionNotAllowed) as exc:
        services.appeal_close(actor=actors["secretary"], appeal_id=appeal.pk)
    assert str(exc.value.message) == "诉求当前为“已答复”，不能办结。"


def test_refused_message_is_readable(tree, actors):
    appeal = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"])
    with pytest.raises(TransitionNotAllowed) as exc:
        services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
    assert str(exc.value.message) == "诉求当前为“已办结”，不能受理。"


def test_repeating_a_transition_is_a_clear_error(tree, actors):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
    with pytest.raises(TransitionNotAllowed):
        services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
    assert AppealEvent.objects.filter(appeal=appeal, verb="accept").count() == 1
