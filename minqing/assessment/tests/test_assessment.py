"""Assessment: weights, the indicator arithmetic against hand-computed figures, closed periods,
四无 checks and awards, 五个一, drill-down, the role matrix and the query budget."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minqing.appeals.models import Status as AppealStatus
from minqing.appeals.tests.factories import appeal_in
from minqing.assessment import services
from minqing.assessment.models import Nomination, Scheme, SchemeStatus, Score
from minqing.assessment.scoring import standings
from minqing.assessment.tests.factories import check_for, scheme_for
from minqing.core.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.core.models import AuditEntry
from minqing.disclosure.models import Notice
from minqing.disputes.models import Status as DisputeStatus
from minqing.disputes.tests.factories import dispute_in
from minqing.residents.tests.factories import HouseholdFactory, make_resident

pytestmark = pytest.mark.django_db


def test_weights_must_sum_to_100_and_name_the_total(tree, actors):
    with pytest.raises(ValidationError) as refused:
        scheme_for(actors["street"], tree["street"], weights={"resolution_rate": 50, "top_down": 30})
    assert refused.value.fields == {"indicators": ["权重合计须为 100，当前为 80。"]}
    assert not Scheme.objects.exists()


def test_unknown_or_unsuitable_indicator_is_refused(tree, actors):
    with pytest.raises(ValidationError) as refused:
        scheme_for(actors["street"], tree["street"], subject="staff",
                   weights={"disputes_on_time": 50, "top_down": 50})
    assert "disputes_on_time" in refused.value.fields["indicators"][0]


def _hand_computed_data(tree, actors):
    """Community A: 3 disputes accepted (2 settled within 30 days), 3 demands judged (2 solved).
    Community B: 1 dispute accepted, settled after 40 days; no demands."""
    now = timezone.now()
    for settled_after in (5, 20):
        dispute_in(DisputeStatus.AGREED, place=tree["grid_a1"], reporter=actors["grid"],
                   accepted_at=now - datetime.timedelta(days=settled_after + 1),
                   settled_at=now - datetime.timedelta(days=1))
    dispute_in(DisputeStatus.MEDIATING, place=tree["grid_a2"], reporter=actors["grid"],
               accepted_at=now - datetime.timedelta(days=3))
    dispute_in(DisputeStatus.AGREED, place=tree["grid_b1"], reporter=actors["street"],
               accepted_at=now - datetime.timedelta(days=45), settled_at=now - datetime.timedelta(days=5))
    for outcome in ("solved", "solved", "partly"):
        appeal_in(AppealStatus.REPLIED, place=tree["building_a1"], handler=actors["worker"], outcome=outcome)


def test_scores_and_totals_match_the_hand_computed_figures(tree, actors):
    # given
    _hand_computed_data(tree, actors)
    scheme = scheme_for(actors["street"], tree["street"])
    services.top_down_enter(actor=actors["street"], scheme=scheme, place=tree["community_a"], score="90")
    services.top_down_enter(actor=actors["street"], scheme=scheme, place=tree["community_b"], score="70")
    # when
    services.scheme_compute(actor=actors["street"], scheme=scheme)
    # then
    scores = {(s.place.code, s.code): s for s in Score.objects.filter(scheme=scheme).select_related("place")}
    a, b = tree["community_a"].code, tree["community_b"].code
    assert (scores[a, "disputes_on_time"].numerator, scores[a, "disputes_on_time"].denominator) == (2, 3)
    assert scores[a, "disputes_on_time"].score == pytest.approx(66.67, abs=0.01)
    assert (scores[a, "resolution_rate"].numerator, scores[a, "resolution_rate"].denominator) == (2, 3)
    assert scores[b, "disputes_on_time"].score == 0
    assert scores[b, "resolution_rate"].score is None  # nothing to count
    ranking = {s.key: s for s in standings(scheme)}
    # A: (40·66.67 + 30·66.67 + 30·90) / 100 = 73.67;  B: (30·0 + 30·70) / 60 = 35.0 over 60 % of the weight
    assert ranking[a].total == pytest.approx(73.67, abs=0.01) and ranking[a].rank == 1
    assert ranking[b].total == 35.0 and ranking[b].coverage == 0.6 and ranking[b].rank == 2


def test_weights_cannot_change_once_published(tree, actors):
    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_publish(actor=actors["street"], scheme=scheme)
    with pytest.raises(TransitionNotAllowed):
        services.scheme_set_indicators(actor=actors["street"], scheme=scheme,
                                       lines=[services.WeightedIndicator("top_down", 100)])


def test_a_closed_period_is_recomputed_only_explicitly_with_a_reason(tree, actors):
    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_publish(actor=actors["street"], scheme=scheme)
    services.scheme_close(actor=actors["street"], scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.CLOSED and scheme.computed_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.scheme_compute(actor=actors["street"], scheme=scheme)
    with pytest.raises(ValidationError) as refused:
        services.scheme_recompute(actor=actors["street"], scheme=scheme, reason=" ")
    assert "reason" in refused.value.fields
    _hand_computed_data(tree, actors)
    services.scheme_recompute(actor=actors["street"], scheme=scheme, reason="补录了11月的纠纷")
    entry = AuditEntry.objects.filter(action="assessment.scheme.recompute").get()
    assert entry.changes["reason"] == [None, "补录了11月的纠纷"]
    before, after = entry.changes["totals"]
    assert before[tree["community_a"].code] is None and after[tree["community_a"].code] > 0


def test_top_down_score_is_validated(tree, actors):
    scheme = scheme_for(actors["street"], tree["street"])
    with pytest.raises(ValidationError) as refused:
        services.top_down_enter(actor=actors["street"], scheme=scheme, place=tree["community_a"], score="120")
    assert refused.value.fields == {"score": ["请输入 0–100 之间的分数。"]}


def test_role_matrix_for_schemes(tree, actors):
    street = tree["street"]
    with pytest.raises(NotFound):  # the secretary does not see the street level
        scheme_for(actors["secretary"], street)
    with pytest.raises(PermissionDenied):  # the inspector reads the street but changes nothing
        scheme_for(actors["supervisor"], street)
    scheme = scheme_for(actors["street"], street)
    with pytest.raises(PermissionDenied):
        services.scheme_compute(actor=actors["supervisor"], scheme=scheme)


@pytest.mark.parametrize("who,status", [("street", 200), ("secretary", 200), ("worker", 200), ("grid", 200),
                                        ("supervisor", 200), ("branch", 404), ("partner", 404)])
def test_scheme_page_by_role(client, tree, actors, who, status):
    scheme = scheme_for(actors["street"], tree["street"])
    client.force_login(actors[who])
    assert client.get(reverse("assessment:scheme_detail", args=[scheme.pk])).status_code == status


def test_every_score_drills_down_to_its_records(client, tree, actors):
    _hand_computed_data(tree, actors)
    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_compute(actor=actors["street"], scheme=scheme)
    client.force_login(actors["street"])
    a = tree["community_a"].code
    page = client.get(reverse("assessment:drill", args=[scheme.pk, "disputes_on_time", a])).content.decode()
    assert page.count("邻里漏水纠纷") == 3
    response = client.get(reverse("assessment:drill", args=[scheme.pk, "resolution_rate", a]))
    assert response.status_code == 302 and "/dashboard/demands/" in response["Location"] and a in response["Location"]
    demands = client.get(response["Location"])
    assert demands.status_code == 200


def test_ranking_page_reads_stored_scores_in_few_queries(client, tree, actors):
    _hand_computed_data(tree, actors)
    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_compute(actor=actors["street"], scheme=scheme)
    client.force_login(actors["street"])
    url = reverse("assessment:scheme_detail", args=[scheme.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 15


def test_export_has_numbers_not_text(client, tree, actors):
    import io

    from openpyxl import load_workbook

    _hand_computed_data(tree, actors)
    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_compute(actor=actors["street"], scheme=scheme)
    client.force_login(actors["street"])
    book = load_workbook(io.BytesIO(client.get(reverse("assessment:scheme_export", args=[scheme.pk])).content))
    sheet = book.active
    assert sheet.cell(3, 2).value == "A社区" and isinstance(sheet.cell(3, 3).value, float)


# --- 四无 and civility awards ---------------------------------------------------------------------------

def test_a_failed_check_needs_a_note_and_cannot_be_nominated(tree, actors):
    with pytest.raises(ValidationError) as refused:
        services.civility_check_file(actor=actors["grid"], building=tree["building_a1"], year=2026, quarter=2,
                                     no_mess=True, no_vice=True, no_theft_fire=False, no_quarrels=True,
                                     checked_on=datetime.date(2026, 5, 1))
    assert "note" in refused.value.fields
    failed = check_for(actors["grid"], tree["building_a1"], passed=False)
    with pytest.raises(ValidationError) as refused:
        services.nomination_create(actor=actors["grid"], check=failed, kind="building", reason="整洁")
    assert refused.value.fields["check"] == ["该楼栋本季度未达到“四无”，不能推荐。"]


def test_one_check_per_building_and_quarter_and_only_in_scope(tree, actors):
    check_for(actors["grid"], tree["building_a1"])
    with pytest.raises(ValidationError):
        check_for(actors["grid"], tree["building_a1"])
    with pytest.raises(NotFound):
        check_for(actors["grid"], tree["building_b1"])


def test_nomination_approved_by_the_secretary_published_masked_and_on_the_honour_roll(client, tree, actors):
    # given a passed check and a resident nominated by the grid worker
    check = check_for(actors["grid"], tree["building_a1"])
    household = HouseholdFactory(building=tree["building_a1"])
    resident = make_resident(household, "王秀英")
    nomination = services.nomination_create(actor=actors["grid"], check=check, kind="resident", resident=resident,
                                            reason="常年义务打扫楼道")
    with pytest.raises(PermissionDenied):
        services.nomination_decide(actor=actors["grid"], nomination=nomination, approve=True)
    # when the secretary approves and publishes
    services.nomination_decide(actor=actors["secretary"], nomination=nomination, approve=True)
    services.nominations_publish(actor=actors["secretary"], community=tree["community_a"], year=check.year, quarter=1)
    # then the board shows the masked name and the roll lists it
    nomination.refresh_from_db()
    assert nomination.status == "published"
    notice = Notice.objects.get(pk=nomination.notice_id)
    assert "王*英" in notice.body and "王秀英" not in notice.body
    client.force_login(actors["secretary"])
    roll = client.get(reverse("assessment:honour_roll", args=[check.year])).content.decode()
    assert "王秀英" in roll and "文明居民" in roll


def test_rejecting_a_nomination_needs_a_reason(tree, actors):
    check = check_for(actors["grid"], tree["building_a1"])
    nomination = services.nomination_create(actor=actors["grid"], check=check, kind="building", reason="整洁")
    with pytest.raises(ValidationError):
        services.nomination_decide(actor=actors["secretary"], nomination=nomination, approve=False)
    assert Nomination.objects.get().status == "nominated"


def test_civility_page_files_a_check(client, tree, actors):
    client.force_login(actors["grid"])
    response = client.post(reverse("assessment:civility"), {
        "building": tree["building_a1"].pk, "year": 2026, "quarter": 1, "no_mess": "on", "no_vice": "on",
        "no_theft_fire": "on", "checked_on": "2026-02-10", "note": ""})
    assert response.status_code == 200
    assert "未达标的楼栋须写明情况。" in response.content.decode()


# --- 五个一 ------------------------------------------------------------------------------------------------

def test_five_ones_fills_from_records_and_names_what_is_missing(client, tree, actors):
    from minqing.visits.services import visit_round_create

    today = timezone.localdate()
    leader = actors["secretary"]
    visit_round_create(actor=leader, place=tree["community_a"], name="冬季民情大走访", start_date=today,
                       end_date=today, leaders=[leader])
    services.study_record(actor=leader, place=tree["community_a"], title="老旧小区加装电梯意愿调研",
                          done_on=today, findings="六成住户愿意分摊")
    appeal_in(AppealStatus.CLOSED, place=tree["building_a1"], handler=leader)
    from minqing.assessment.fiveones import checklist_for

    checklist = checklist_for(leader, today.replace(month=1, day=1), today)
    assert checklist.done == 3
    assert set(checklist.missing) == {"召开一次群众座谈会", "为基层党员干部上一堂党课"}
    client.force_login(actors["street"])
    page = client.get(reverse("assessment:five_ones")).content.decode()
    assert "老旧小区加装电梯意愿调研" in page and "冬季民情大走访" in page


def test_the_scheduler_keeps_open_schemes_current_and_audits_as_the_system(tree, actors):
    from minqing.assessment.jobs import open_schemes_compute

    scheme = scheme_for(actors["street"], tree["street"])
    services.scheme_publish(actor=actors["street"], scheme=scheme)
    _hand_computed_data(tree, actors)
    assert open_schemes_compute(timezone.now()) == "computed 1 schemes"
    assert open_schemes_compute(timezone.now()) == "computed 0 schemes"  # not again within the hour
    assert Score.objects.filter(scheme=scheme, code="disputes_on_time", score__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="assessment.scheme.compute").get().actor_label == "系统"


def test_meetings_reported_back_and_the_forum_item(tree, actors):
    """Two opinions at a forum of community A; the next meeting of the series reports them back: 2 / 2.
    The secretary called the forum, so their 五个一 has its forum item."""
    from minqing.assessment.fiveones import checklist_for
    from minqing.meetings.tests import factories as meetings

    resident = meetings.resident(tree["building_a1"])
    forum = meetings.series(actors["secretary"], tree["community_a"])
    first = meetings.held(actors["secretary"], forum, [resident], days_ago=20)
    meetings.opinion(actors["secretary"], first, resident)
    meetings.opinion(actors["secretary"], first, resident, text="希望增设健身器材")
    meetings.held(actors["secretary"], forum, [resident], days_ago=2)
    scheme = scheme_for(actors["street"], tree["street"], weights={"meetings_reported_back": 50, "top_down": 50})
    services.scheme_compute(actor=actors["street"], scheme=scheme)
    score = Score.objects.get(scheme=scheme, place=tree["community_a"], code="meetings_reported_back")
    assert (score.numerator, score.denominator, score.score) == (2, 2, 100.0)
    today = timezone.localdate()
    checklist = checklist_for(actors["secretary"], today - datetime.timedelta(days=30), today)
    assert "召开一次群众座谈会" not in checklist.missing


def test_complaints_about_a_named_cadre_cost_points(tree, actors):
    """Two 不满意 ratings of the worker: the worker scores 100 − 2·20 = 60, community A 100 − 2·10 = 80."""
    from minqing.surveys.models import Rating, StaffRating

    for _ in range(2):
        demand = appeal_in(AppealStatus.CLOSED, place=tree["building_a1"], handler=actors["worker"])
        StaffRating.objects.create(staff=actors["worker"], rating=Rating.DISSATISFIED, reason="态度生硬",
                                   place_code=tree["building_a1"].code, rated_at=timezone.now(), appeal=demand,
                                   **_rating_source())
    community = scheme_for(actors["street"], tree["street"], weights={"cadre_complaints": 50, "top_down": 50})
    staff = scheme_for(actors["street"], tree["street"], subject="staff", name="干部考核",
                       weights={"cadre_complaints": 50, "top_down": 50})
    services.scheme_compute(actor=actors["street"], scheme=community)
    services.scheme_compute(actor=actors["street"], scheme=staff)
    assert Score.objects.get(scheme=community, place=tree["community_a"], code="cadre_complaints").score == 80
    assert Score.objects.get(scheme=community, place=tree["community_b"], code="cadre_complaints").score == 100
    assert Score.objects.get(scheme=staff, user=actors["worker"], code="cadre_complaints").score == 60


def _rating_source() -> dict:
    from minqing.surveys.models import StaffRating

    field = StaffRating._meta.get_field("source")
    return {"source": field.choices[-1][0]}


def test_a_party_lesson_the_leader_gave_fills_the_lesson_item(tree, actors):
    from minqing.assessment.fiveones import checklist_for
    from minqing.party import services as party
    from minqing.party.models import Presence, SessionKind
    from minqing.party.tests import factories as party_factories

    branch = party_factories.org(tree["grid_a1"])
    someone = party_factories.member(branch, tree["building_a1"])
    today = timezone.localdate()
    lesson = party.session_plan(actor=actors["secretary"], org=branch, kind=SessionKind.LESSON, planned_on=today,
                                topic="为民服务解难题", lecturer=actors["secretary"])
    with pytest.raises(ValidationError):
        party.session_plan(actor=actors["secretary"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                           planned_on=today, topic="例会", lecturer=actors["secretary"])
    party.session_hold(actor=actors["secretary"], session=lesson, held_on=today,
                       attendance={someone.pk: (Presence.PRESENT, "")})
    checklist = checklist_for(actors["secretary"], today.replace(day=1), today)
    assert "为基层党员干部上一堂党课" not in checklist.missing


def test_solved_problems_are_each_leaders_first_within_the_local_days(tree, actors):
    """Both the PostgreSQL (LATERAL) and the SQLite (window) path: each leader's first PER_ITEM solved demands
    of the period in closing order, the period's first and last local day included and nothing outside."""
    from minqing.assessment.fiveones import PER_ITEM, _problems_solved
    from minqing.core.dates import day_start

    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    first, other = actors["secretary"], actors["worker"]
    opening = day_start(start)

    def closed(leader, at, outcome="solved"):
        return appeal_in(AppealStatus.CLOSED, place=tree["building_a1"], leader=leader, outcome=outcome,
                         closed_at=at)

    closed(first, opening - datetime.timedelta(minutes=10))  # 23:50 on the day before: outside
    closed(first, day_start(end + datetime.timedelta(days=1)))  # midnight after the last day: outside
    closed(first, opening + datetime.timedelta(minutes=5), outcome="partly")  # not solved
    expected = [closed(first, opening + datetime.timedelta(minutes=10 + i)) for i in range(PER_ITEM + 3)]
    last_day = closed(other, day_start(end) + datetime.timedelta(hours=23, minutes=59))
    evidence = _problems_solved([first.pk, other.pk], start, end)
    assert [e.url.rstrip("/").split("/")[-1] for e in evidence[first.pk]] == [str(a.pk) for a in expected[:PER_ITEM]]
    assert evidence[first.pk][0].on == start
    assert [e.url.rstrip("/").split("/")[-1] for e in evidence[other.pk]] == [str(last_day.pk)]


def _section(page: str, testid: str, end: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index(end, start)]


def test_the_civility_board_shows_every_building_by_quarter_with_the_year_s_figures(client, tree, actors):
    # given building A1 met the four in Q1 and failed one in Q2, checked by someone whose name needs escaping
    actors["grid"].display_name = '网格员"<b>'
    actors["grid"].save()
    check_for(actors["grid"], tree["building_a1"], quarter=1)
    check_for(actors["grid"], tree["building_a1"], passed=False, quarter=2)
    client.force_login(actors["secretary"])
    page = client.get(reverse("assessment:civility")).content.decode()
    # then one row per building of community A (never checked included), a column per quarter
    rows = _section(page, "checks", "</table>").split("<tr>")[2:]
    assert len(rows) == 2
    a1, a2 = rows
    assert a1.count("未检查") == 2 and a2.count("未检查") == 4
    assert "tag ok" in a1 and "推荐评比" in a1 and "地段无口角纠纷、打架斗殴" in a1
    assert '网格员&quot;&lt;b&gt;' in a1 and '网格员"<b>' not in page  # who checked
    # and the year's figures per quarter over the whole scope
    figures = _section(page, "check-figures", "</div></div></div>")
    assert "1 / 1" in figures and "0 / 1" in figures and "共 2 栋" in figures


def test_the_civility_board_pages_fifty_buildings_at_a_time(client, tree, actors):
    from minqing.places.models import PlaceKind
    from minqing.places.tests.factories import child_of

    for number in range(3, 53):
        child_of(tree["grid_a2"], PlaceKind.BUILDING, number, f"{number}号楼")
    client.force_login(actors["secretary"])
    first = client.get(reverse("assessment:civility")).content.decode()
    second = client.get(reverse("assessment:civility"), {"page": 2}).content.decode()
    assert len(_section(first, "checks", "</table>").split("<tr>")[2:]) == 50
    assert len(_section(second, "checks", "</table>").split("<tr>")[2:]) == 2
    assert "第 2 / 2 页" in second and "共 52 栋" in first


def test_nominations_awaiting_a_decision_are_listed_apart_from_the_decided(client, tree, actors):
    check = check_for(actors["grid"], tree["building_a1"])
    waiting = services.nomination_create(actor=actors["grid"], check=check, kind="building", reason="楼道整洁")
    family = HouseholdFactory(building=tree["building_a1"])
    decided = services.nomination_create(actor=actors["grid"], check=check, kind="family", household=family,
                                         reason="邻里和睦")
    services.nomination_decide(actor=actors["secretary"], nomination=decided, approve=False, note="材料不全")
    client.force_login(actors["secretary"])
    page = client.get(reverse("assessment:civility")).content.decode()
    pending = _section(page, "nominations", "</ul>")
    done = _section(page, "nominations-decided", "</ul>")
    assert "楼道整洁" in pending and reverse("assessment:nomination_decide", args=[waiting.pk]) in pending
    assert "邻里和睦" in done and "材料不全" in done
    assert reverse("assessment:nomination_decide", args=[decided.pk]) not in done
    assert "已审批（1）" in page
