"""Query budgets of the newer apps' pages (meetings, volunteers, training, assessment): each page is
requested on a small data set and again after the data grew several-fold through the apps' own
services; the count must not move, and must stay within the budget (measured when written, plus two).
Party has its own module (party/tests/test_query_budgets.py); the main pages are in test_query_budgets.py.
The city benchmark reads the same pages at city scale (bench/scenarios_apps.py)."""
from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minqing.accounts.models import Role
from minqing.accounts.services import role_assign
from minqing.accounts.tests.factories import UserFactory
from minqing.assessment import services as assessment
from minqing.assessment.tests.factories import check_for, scheme_for
from minqing.core.tests.test_query_budgets import count
from minqing.meetings.models import MeetingKind
from minqing.meetings.tests import factories as meetings
from minqing.training import services as training
from minqing.training.tests.factories import answer, quiz, right_answers, session
from minqing.volunteers.tests.factories import activity_of, sign_up, team_in

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


# --- what each app's pages read, grown through its services ---------------------------------------------

def grow_meetings(tree, actors, state, n):
    people = [meetings.resident(tree["building_a1"], f"居民{next(_serial)}") for _i in range(3)]
    for _i in range(n):
        held = meetings.held(actors["secretary"], state["forum"], people, days_ago=next(_serial) + 30)
        for who in people:
            meetings.opinion(actors["secretary"], held, who, text=f"楼道灯坏了好几天了，第{next(_serial)}次", answer="已答复")
        meetings.reception(actors["secretary"], actors["secretary"], tree["community_a"],
                           day=datetime.date(2025, 1, 1) + datetime.timedelta(days=next(_serial)))
    state.setdefault("meeting", held)


def grow_volunteers(tree, actors, state, n):
    if "team" not in state:
        state["team"] = team_in(tree["community_a"], actors["worker"])
    team = state["team"]
    for _i in range(n):
        activity = activity_of(team, actors["worker"], title=f"活动{next(_serial)}")
        for _j in range(3):
            sign_up(activity, phone=f"139{next(_serial):08d}")
        team_in(tree["community_a"], actors["worker"], name=f"协会{next(_serial)}", kind="association")
    state.setdefault("activity", activity)


def grow_training(tree, actors, state, n):
    for _i in range(n):
        held = session(actors["secretary"], tree["community_a"], topic=f"培训{next(_serial)}")
        training.training_attendance_record(actor=actors["secretary"], session=held,
                                            users=[actors["grid"], actors["worker"]])
        answer(actors["street"], tree["street"], f"问题{next(_serial)} 低保", "答复", topic="dibao")
    state.setdefault("session", held)
    if "quiz" not in state:
        state["quiz"] = quiz(actors["street"], tree["street"])
    for role in ("grid", "worker", "secretary", "building"):
        training.quiz_attempt_submit(actor=actors[role], quiz=state["quiz"], answers=right_answers(state["quiz"]))


def grow_assessment(tree, actors, state, n):
    from minqing.appeals.models import Status
    from minqing.appeals.tests.factories import appeal_in

    for _i in range(n):
        leader = UserFactory(username=f"leader{next(_serial)}")  # 五个一 lists every leader: one more each time
        role_assign(actor=actors["admin"], user=leader, role=Role.COMMUNITY_SECRETARY, place=tree["community_b"])
        assessment.study_record(actor=leader, place=tree["community_b"], title=f"调研{next(_serial)}",
                                done_on=datetime.date.today(), findings="有结论")
        appeal_in(Status.CLOSED, place=tree["building_b1"], handler=leader, leader=leader)
        appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"])
        appeal_in(Status.CLOSED, place=tree["building_b1"], handler=actors["worker"])
        assessment.study_record(actor=actors["secretary"], place=tree["community_a"],
                                title=f"调研{next(_serial)}", done_on=datetime.date.today(), findings="有结论")
    year = 2000 + next(_serial) % 20
    check_for(actors["grid"], tree["building_a1"], year=year)
    if "scheme" not in state:
        state["scheme"] = scheme_for(actors["street"], tree["street"])
    assessment.scheme_compute(actor=actors["street"], scheme=state["scheme"])


GROW = {"meetings": grow_meetings, "volunteers": grow_volunteers, "training": grow_training,
        "assessment": grow_assessment}

# page → (app, user, url of the app's state) and its budget
PAGES = {
    "meetings_list": ("meetings", "secretary", lambda s: reverse("meetings:list"), 8),
    "meetings_detail": ("meetings", "secretary", lambda s: reverse("meetings:detail", args=[s["meeting"].pk]), 11),
    "meetings_receptions": ("meetings", "secretary", lambda s: reverse("meetings:receptions"), 11),
    "meetings_figures": ("meetings", "secretary", lambda s: reverse("meetings:figures"), 10),
    "volunteers_index": ("volunteers", "worker", lambda s: reverse("volunteers:index"), 8),
    "volunteers_team": ("volunteers", "worker", lambda s: reverse("volunteers:team", args=[s["team"].pk]), 9),
    "volunteers_activity": ("volunteers", "worker",
                            lambda s: reverse("volunteers:activity", args=[s["activity"].pk]), 8),
    "volunteers_figures": ("volunteers", "worker", lambda s: reverse("volunteers:figures"), 20),
    "volunteers_public": ("volunteers", None, lambda s: reverse("volunteers:public_list"), 3),
    "training_sessions": ("training", "grid", lambda s: reverse("training:session_list"), 10),
    "training_session": ("training", "secretary",
                         lambda s: reverse("training:session_detail", args=[s["session"].pk]), 11),
    "training_answers": ("training", "grid", lambda s: reverse("training:answer_list"), 8),
    "training_accuracy": ("training", "grid", lambda s: reverse("training:accuracy"), 8),
    "training_quiz_results": ("training", "street",
                              lambda s: reverse("training:quiz_results", args=[s["quiz"].pk]), 13),
    "assessment_schemes": ("assessment", "street", lambda s: reverse("assessment:scheme_list"), 9),
    "assessment_ranking": ("assessment", "street",
                           lambda s: reverse("assessment:scheme_detail", args=[s["scheme"].pk]), 12),
    "assessment_civility": ("assessment", "secretary", lambda s: reverse("assessment:civility"), 13),
    "assessment_five_ones": ("assessment", "street", lambda s: reverse("assessment:five_ones"), 16),
}


@pytest.fixture
def forum(actors, tree):
    return meetings.series(actors["secretary"], tree["community_a"], MeetingKind.FORUM, "A社区民情恳谈会")


@pytest.mark.parametrize("name", list(PAGES))
def test_app_pages_stay_flat_and_within_budget(name, client, tree, actors, forum):
    app, role, url_of, budget = PAGES[name]
    state = {"forum": forum}
    GROW[app](tree, actors, state, 1)
    user = actors[role] if role else None
    url = url_of(state)
    small = count_as(client, user, url)
    GROW[app](tree, actors, state, 5)
    large = count_as(client, user, url)
    print(f"{name}: {small} → {large} queries")
    assert large == small, f"{name}: {small} queries on the small data set, {large} after it grew"
    assert large <= budget, f"{name}: {large} queries, budget {budget}"


def count_as(client, user, url) -> int:
    if user is None:
        client.logout()
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)
    return count(client, user, url)
