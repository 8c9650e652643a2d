"""Query budgets of the party's main pages: the count does not move when the data grows several-fold
(more members, sessions with attendance, edge members, ballots), and stays within the budget below
(what the pages issued when written, plus two for a future panel)."""
import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minqing.party import services
from minqing.party.models import Presence, SessionKind

from .factories import member, org, resident

pytestmark = pytest.mark.django_db
BUDGET = {"index": 10, "members": 10, "sessions": 10, "edge": 9, "figures": 13, "org": 11, "member": 13,
          "session": 8, "appraisal": 9}
_month = itertools.count(0)


def grow(tree, actors, branch, appraisal, n):
    members = [member(branch, tree["building_a2"], f"党员{i}", actor=actors["branch"]) for i in range(n)]
    for _i in range(n):
        resident(tree["building_a2"], "边缘", political_status="party")
    everyone = list(branch.members.all())
    for _i in range(n):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * next(_month))
        session = services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                                         planned_on=day, topic="学习")
        services.session_hold(actor=actors["branch"], session=session, held_on=day,
                              attendance={m.pk: (Presence.ABSENT if m.pk % 3 == 0 else Presence.PRESENT, "")
                                          for m in everyone})
    services.appraisal_ballot_record(actor=actors["branch"], appraisal=appraisal,
                                     ratings={m.pk: ("qualified", "好") for m in everyone})
    return members


@pytest.fixture
def pages(tree, actors):
    branch = org(tree["grid_a2"], name="第二地段党支部")
    appraisal = services.appraisal_open(actor=actors["branch"], org=branch, year=datetime.date.today().year)
    first = grow(tree, actors, branch, appraisal, 2)[0]
    session = branch.sessions.first()
    return branch, appraisal, {
        "index": (actors["secretary"], reverse("party:index")),
        "members": (actors["secretary"], reverse("party:members")),
        "sessions": (actors["branch"], reverse("party:sessions")),
        "edge": (actors["branch"], reverse("party:edge")),
        "figures": (actors["secretary"], reverse("party:figures")),
        "org": (actors["branch"], reverse("party:org", args=[branch.pk])),
        "member": (actors["branch"], reverse("party:member", args=[first.pk])),
        "session": (actors["branch"], reverse("party:session", args=[session.pk])),
        "appraisal": (actors["branch"], reverse("party:appraisal", args=[appraisal.pk])),
    }


def count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", list(BUDGET))
def test_party_pages_stay_flat_and_within_budget(name, client, tree, actors, pages):
    branch, appraisal, urls = pages
    user, url = urls[name]
    small = count(client, user, url)
    grow(tree, actors, branch, appraisal, 6)
    large = count(client, user, url)
    print(f"{name}: {small} → {large} queries")
    assert large == small, f"{name}: {small} queries on the small data set, {large} after it grew"
    assert large <= BUDGET[name]
