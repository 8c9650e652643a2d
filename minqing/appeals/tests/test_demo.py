"""The demo year builds fast and tells the story the dashboard needs."""
import datetime
import time

import pytest
from django.db.models import Count

from minqing.appeals.models import Appeal, AppealEvent, Status, Supervision
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
    started = time.perf_counter()
    appeals_demo.build(ctx)
    return ctx, time.perf_counter() - started


def test_demo_year(demo):
    ctx, seconds = demo
    assert seconds < 30, seconds
    total = Appeal.objects.count()
    assert 1200 < total < 3000
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
