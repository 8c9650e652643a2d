"""The demo year builds within a query budget, tells the story the dashboard needs, and is made only of
the services' moves: every step a legal move of the APPEAL table, each with its audit row."""
import datetime

import pytest
from django.db import connection
from django.db.models import Count

from minqing.appeals.models import APPEAL, Appeal, AppealEvent, Status, Supervision
from minqing.core.models import AuditEntry
from minqing.demo.builders import DemoContext

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(db):
    from minqing.accounts import demo as accounts_demo
    from minqing.appeals import demo as appeals_demo
    from minqing.places import demo as places_demo

    ctx = DemoContext(log=lambda message: None)
    places_demo.build(ctx)
    accounts_demo.build(ctx)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        appeals_demo.build(ctx)
    return ctx, queries


def test_demo_year(demo):
    ctx, queries = demo
    # every step is a service call (lock, save, audit row on the chain head, timeline event, dashboard mark…):
    # a budget per timeline entry instead of a wall-clock bound, which a busy machine breaks
    assert queries < 16 * AppealEvent.objects.count(), queries
    total = Appeal.objects.count()
    assert 800 < total < 3000
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert statuses >= {Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED,
                        Status.CLOSED, Status.REJECTED, Status.MERGED}
    assert set(Appeal.objects.values_list("channel", flat=True)) == {"walk_in", "phone", "box", "web", "visit",
                                                                     "meeting", "transfer"}
    # winter heating: January has many more heating complaints than July
    heat = Appeal.objects.filter(category__name="供暖")
    assert heat.filter(submitted_at__month=1).count() > 5 * max(1, heat.filter(submitted_at__month=7).count())
    legacy = Appeal.objects.filter(category__parent__name="企业改制遗留")
    assert legacy.count() == 60 and legacy.filter(matter__isnull=False).count() > 40
    assert Appeal.objects.filter(reopen_count__gt=0).exists() and Appeal.objects.filter(is_overdue=True).exists()
    assert Supervision.objects.exists()
    # every demand has a timeline that starts with its submission and ends in its status
    last = {}
    for appeal_id, verb, to_status in AppealEvent.objects.order_by("at", "id").values_list("appeal_id", "verb",
                                                                                            "to_status"):
        last.setdefault(appeal_id, verb == "submit" and verb)
        last[appeal_id] = last[appeal_id] and to_status
    assert all(Appeal.objects.filter(pk=pk, status=status).exists() for pk, status in list(last.items())[:300])
    assert Appeal.objects.filter(submitted_at__gte=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)).exists()
    assert ctx.shared["demo_tracking_link"].startswith("/appeals/t/")
    assert Appeal.objects.values("category__parent").annotate(n=Count("id")).count() >= 12


# Entries on a demand's timeline that move nothing: not verbs of the table (the caller audits them).
NOTES = {"submit": "appeal.submit", "overdue": "appeal.overdue", "supervision_answer": "appeal.supervision_answer"}
# The timeline names two split verbs by the decision (core.transitions recorded_as): try both.
SPLIT = {"follow_up": ("follow_up", "follow_up_reopen"), "close": ("close", "close_unrated")}


def _replay(events) -> str | None:
    """Walk one demand's events through the table; the state reached, or None at the first illegal step."""
    state = None
    for event in events:
        if event.verb in NOTES:
            if event.verb == "submit":
                state = Status.SUBMITTED
            if event.to_status != state:
                return None
            continue
        targets = {APPEAL.target(state, verb) for verb in SPLIT.get(event.verb, (event.verb,))} - {None}
        if event.from_status != state or event.to_status not in targets:
            return None
        state = event.to_status
    return state


def test_every_demo_step_is_a_legal_move_with_its_audit_row_at_its_moment(demo):
    # given the demo year
    events: dict[int, list] = {}
    for event in AppealEvent.objects.order_by("at", "id"):
        events.setdefault(event.appeal_id, []).append(event)
    audits: dict[str, int] = {}
    for object_id, action in AuditEntry.objects.filter(object_type="appeals.appeal").values_list(
            "object_id", "action"):
        audits[f"{object_id}:{action}"] = audits.get(f"{object_id}:{action}", 0) + 1
    answered = dict(Supervision.objects.values_list("pk", "appeal_id"))  # an answer is audited on its supervision
    for object_id in AuditEntry.objects.filter(action="appeal.supervision_answer").values_list("object_id", flat=True):
        key = f"{answered[int(object_id)]}:appeal.supervision_answer"
        audits[key] = audits.get(key, 0) + 1
    # then each demand's chain replays through the APPEAL table from its submission to its status
    statuses = dict(Appeal.objects.values_list("pk", "status"))
    assert set(events) == set(statuses)
    for appeal_id, chain in events.items():
        assert chain[0].verb == "submit", chain[0]
        assert _replay(chain) == statuses[appeal_id], [(e.verb, e.from_status, e.to_status) for e in chain]
    # and every event has its audit row (one per event: the demand's, or for an answer its supervision's)
    expected: dict[str, int] = {}
    for appeal_id, chain in events.items():
        for event in chain:
            key = f"{appeal_id}:{NOTES.get(event.verb, f'appeal.{event.verb}')}"
            expected[key] = expected.get(key, 0) + 1
    assert audits == expected
    # at the replayed moment (one demo build for both checks: it is the slow part)
    _assert_historical_moments()


def _assert_historical_moments():
    """The audit rows carry the replayed moment, and deadlines are counted from the dispatch moment."""
    appeal = Appeal.objects.filter(status=Status.CLOSED, handle_deadline__isnull=False).order_by("pk").first()
    closed = AuditEntry.objects.get(object_type="appeals.appeal", object_id=str(appeal.pk), action="appeal.close")
    assert closed.created_at == appeal.closed_at < datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    assert appeal.created_at == appeal.submitted_at
    dispatched = AppealEvent.objects.filter(appeal=appeal, verb="dispatch").order_by("at").last()
    assert dispatched.at == appeal.dispatched_at < appeal.handle_deadline
    assert (appeal.handle_deadline - appeal.dispatched_at) < datetime.timedelta(days=30)
