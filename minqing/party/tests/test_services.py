"""Every rule of the party services: dates, one branch at a time, the relation and session tables,
attendance and the three-absences flag, appraisal's one-third list, edge members, one audit row each."""
import datetime

import pytest

from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.core.models import AuditEntry
from minqing.party import selectors, services
from minqing.party.models import (MEMBER_RELATION, SESSION, Attendance, EdgeOutcome, MemberVerb, OrgKind, Presence,
                                  Relation, SessionKind, SessionStatus, SessionVerb, Transfer)

from .factories import JOINED, member, org, resident

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def branch(tree):
    return org(tree["grid_a2"], name="第二地段党支部")


def audit_rows(action):
    return AuditEntry.objects.filter(action=action).count()


# --- organisation tree ----------------------------------------------------------------------------

def test_org_levels_follow_the_four_level_tree(tree, actors):
    committee = org(tree["community_a"], kind=OrgKind.COMMITTEE, name="A社区党委", actor=actors["secretary"])
    general = org(tree["community_a"], kind=OrgKind.GENERAL_BRANCH, parent=committee, actor=actors["secretary"])
    branch = org(tree["grid_a1"], parent=general, actor=actors["secretary"])
    group = org(tree["grid_a1"], kind=OrgKind.GROUP, parent=branch, name="第一小组", actor=actors["secretary"])
    assert group.parent == branch and branch.place_code == tree["grid_a1"].code
    with pytest.raises(ValidationError) as error:
        org(tree["grid_a1"], kind=OrgKind.GROUP, parent=committee, actor=actors["secretary"])
    assert "parent" in error.value.fields
    with pytest.raises(ValidationError) as error:
        org(tree["grid_b1"], parent=general, actor=actors["admin"])
    assert "place" in error.value.fields
    assert audit_rows("party.org.create") == 4


# --- members and transfers ------------------------------------------------------------------------

def test_register_writes_member_transfer_and_one_audit_row(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    assert m.relation == Relation.HERE and m.place_code == tree["grid_a2"].code
    assert Transfer.objects.filter(member=m, kind="in").count() == 1
    assert audit_rows("party.member.register") == 1


def test_no_two_active_branches_at_once(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    other = org(tree["grid_a1"], actor=actors["secretary"])
    with pytest.raises(ValidationError) as error:
        services.member_register(actor=actors["secretary"], resident=m.resident, org=other, joined_on=JOINED,
                                 date=TODAY, from_text="x")
    assert "不能同时在两个支部" in error.value.fields["resident"][0]


@pytest.mark.parametrize("joined_on, full_on, date, category, field", [
    (TODAY + datetime.timedelta(days=1), None, TODAY, "full", "joined_on"),
    (JOINED, JOINED - datetime.timedelta(days=1), TODAY, "full", "full_on"),
    (JOINED, None, JOINED - datetime.timedelta(days=1), "full", "date"),
    (JOINED, JOINED + datetime.timedelta(days=365), TODAY, "probationary", "full_on"),
])
def test_membership_dates_are_validated_with_field_errors(tree, actors, branch, joined_on, full_on, date, category,
                                                         field):
    person = resident(tree["building_a2"], political_status="party")
    with pytest.raises(ValidationError) as error:
        services.member_register(actor=actors["branch"], resident=person, org=branch, joined_on=joined_on,
                                 full_on=full_on, date=date, category=category, from_text="x")
    assert field in error.value.fields


def test_floating_member_needs_where_the_relation_is(tree, actors, branch):
    person = resident(tree["building_a2"])
    with pytest.raises(ValidationError) as error:
        services.member_register(actor=actors["branch"], resident=person, org=branch, joined_on=JOINED, date=TODAY,
                                 relation=Relation.ELSEWHERE)
    assert "from_text" in error.value.fields


def test_resident_of_another_community_cannot_join(tree, actors, branch):
    person = resident(tree["building_b1"])
    with pytest.raises(ValidationError) as error:
        services.member_register(actor=actors["admin"], resident=person, org=branch, joined_on=JOINED, date=TODAY)
    assert "resident" in error.value.fields


def test_no_transfer_out_before_joining_or_before_the_last_move(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"], date=datetime.date(2000, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.member_transfer_out(actor=actors["branch"], member=m, date=JOINED - datetime.timedelta(days=1),
                                     to_text="某地")
    assert "入党日期" in error.value.fields["date"][0]
    with pytest.raises(ValidationError) as error:
        services.member_transfer_out(actor=actors["branch"], member=m, date=datetime.date(1999, 1, 1), to_text="某地")
    assert "上一次" in error.value.fields["date"][0]
    services.member_transfer_out(actor=actors["branch"], member=m, date=datetime.date(2010, 5, 1), to_text="某地")
    m.refresh_from_db()
    assert m.relation == Relation.OUT
    # back in, but not dated before the transfer out: never in two branches at once
    with pytest.raises(ValidationError):
        services.member_transfer_in(actor=actors["branch"], member=m, date=datetime.date(2010, 4, 1), from_text="某地")
    services.member_transfer_in(actor=actors["branch"], member=m, date=datetime.date(2012, 1, 1), from_text="某地")
    m.refresh_from_db()
    assert m.relation == Relation.HERE
    assert audit_rows("party.member.transfer_out") == 1 and audit_rows("party.member.transfer_in") == 1


def test_floating_member_relation_arrives(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"], relation=Relation.ELSEWHERE, date=TODAY)
    services.member_transfer_in(actor=actors["branch"], member=m, date=TODAY, from_text="外地某公司党支部")
    m.refresh_from_db()
    assert m.relation == Relation.HERE and m.relation_elsewhere == ""


@pytest.mark.parametrize("state", list(Relation.values))
@pytest.mark.parametrize("verb", list(MemberVerb.values))
def test_relation_table_refuses_what_it_does_not_list(state, verb):
    class Fake:
        relation = state
    if (state, verb) in MEMBER_RELATION.moves:
        assert MEMBER_RELATION.check(Fake(), verb) == MEMBER_RELATION.moves[(state, verb)]
    else:
        with pytest.raises(TransitionNotAllowed):
            MEMBER_RELATION.check(Fake(), verb)


def test_member_update_probationary_to_full_needs_the_date(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"], category="probationary",
               joined_on=TODAY - datetime.timedelta(days=400), date=TODAY - datetime.timedelta(days=400))
    with pytest.raises(ValidationError) as error:
        services.member_update(actor=actors["branch"], member=m, category="full")
    assert "full_on" in error.value.fields
    services.member_update(actor=actors["branch"], member=m, category="full", full_on=TODAY,
                           dual_registered_on=TODAY, dual_service="楼道清洁")
    m.refresh_from_db()
    assert m.category == "full" and m.dual_service == "楼道清洁"
    assert audit_rows("party.member.change") == 1


# --- edge members ---------------------------------------------------------------------------------

def test_edge_finder_lists_self_declared_members_without_a_record(tree, actors, branch):
    edge = resident(tree["building_a2"], "边缘甲", political_status="party")
    resident(tree["building_a2"], "群众乙")
    on_roster = member(branch, tree["building_a2"], "在册丙", actor=actors["branch"])
    left = member(branch, tree["building_a2"], "转出丁", actor=actors["branch"])
    services.member_transfer_out(actor=actors["branch"], member=left, date=TODAY, to_text="外地")
    found = set(selectors.edge_list(actor=actors["branch"]).values_list("name", flat=True))
    assert found == {"边缘甲", "转出丁"} and on_roster.resident.name not in found
    services.edge_contact_record(actor=actors["branch"], resident=edge, contacted_on=TODAY,
                                 outcome=EdgeOutcome.DECLINED, note="关系在老家，暂不转")
    row = selectors.edge_list(actor=actors["branch"]).get(pk=edge.pk)
    assert row.last_outcome == EdgeOutcome.DECLINED
    assert audit_rows("party.edge.contact") == 1


# --- organisation life ----------------------------------------------------------------------------

def _hold(actor, session, marks, day=None):
    return services.session_hold(actor=actor, session=session, held_on=day or session.planned_on, attendance=marks)


def test_session_hold_needs_everyone_and_reasons_for_leave(tree, actors, branch):
    a = member(branch, tree["building_a2"], "甲", actor=actors["branch"])
    b = member(branch, tree["building_a2"], "乙", actor=actors["branch"])
    session = services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                                    planned_on=TODAY, topic="学习")
    with pytest.raises(ValidationError) as error:
        _hold(actors["branch"], session, {a.pk: (Presence.PRESENT, "")})
    assert "attendance" in error.value.fields
    with pytest.raises(ValidationError) as error:
        _hold(actors["branch"], session, {a.pk: (Presence.PRESENT, ""), b.pk: (Presence.LEAVE, "")})
    assert f"reason_{b.pk}" in error.value.fields
    _hold(actors["branch"], session, {a.pk: (Presence.PRESENT, ""), b.pk: (Presence.LEAVE, "住院")})
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and Attendance.objects.filter(session=session).count() == 2
    assert audit_rows("party.session.hold") == 1
    with pytest.raises(TransitionNotAllowed):
        _hold(actors["branch"], session, {a.pk: (Presence.PRESENT, ""), b.pk: (Presence.PRESENT, "")})
    with pytest.raises(ValidationError):
        services.session_record_minutes(actor=actors["branch"], session=session, minutes=" ")
    services.session_record_minutes(actor=actors["branch"], session=session, minutes="传达学习文件。")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


@pytest.mark.parametrize("state", list(SessionStatus.values))
@pytest.mark.parametrize("verb", list(SessionVerb.values))
def test_session_table_refuses_what_it_does_not_list(state, verb):
    class Fake:
        status = state
    if (state, verb) in SESSION.moves:
        assert SESSION.check(Fake(), verb) == SESSION.moves[(state, verb)]
    else:
        with pytest.raises(TransitionNotAllowed):
            SESSION.check(Fake(), verb)


def test_held_date_cannot_be_in_the_future(tree, actors, branch):
    a = member(branch, tree["building_a2"], actor=actors["branch"])
    session = services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.LESSON,
                                    planned_on=TODAY, topic="党课")
    with pytest.raises(ValidationError) as error:
        _hold(actors["branch"], session, {a.pk: (Presence.PRESENT, "")}, day=TODAY + datetime.timedelta(days=2))
    assert "held_on" in error.value.fields


def test_three_absences_in_a_row_are_flagged_and_a_presence_breaks_the_run(tree, actors, branch):
    a = member(branch, tree["building_a2"], "甲", actor=actors["branch"])
    b = member(branch, tree["building_a2"], "乙", actor=actors["branch"])
    marks = [(Presence.PRESENT, Presence.ABSENT), (Presence.ABSENT, Presence.ABSENT),
             (Presence.LEAVE, Presence.ABSENT), (Presence.ABSENT, Presence.ABSENT)]
    for month, (mark_a, mark_b) in enumerate(marks, start=1):
        session = services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                                        planned_on=datetime.date(TODAY.year - 1, month, 10), topic=f"{month}月")
        _hold(actors["branch"], session, {a.pk: (mark_a, "出差"), b.pk: (mark_b, "")})
    rates = selectors.attendance_rates([a.pk, b.pk])
    assert rates[a.pk].streak == 2 and not rates[a.pk].flagged  # the leave is excused, the present ends the run
    assert rates[a.pk].rate == 25.0
    assert rates[b.pk].streak == 4 and rates[b.pk].flagged and rates[b.pk].rate == 0
    assert [m.pk for m, _r in selectors.absent_streak_list(actor=actors["branch"])] == [b.pk]
    assert selectors.absent_streak_count(actor=actors["branch"]) == 1  # the home panel's figure, from ids alone


def test_the_home_panels_count_of_absence_runs_equals_the_lists(tree, actors, branch):
    """absent_streak_count ranks each member's newest non-leave rows in the database; absent_streak_list walks
    every row. Runs broken by a presence, bridged by leave, shorter than three, and a session not yet held."""
    marks_by_member = {  # oldest first; None: not on that session's roll
        "甲": (Presence.ABSENT, Presence.ABSENT, Presence.LEAVE, Presence.ABSENT, Presence.LEAVE),  # 3 across leave
        "乙": (Presence.ABSENT, Presence.ABSENT, Presence.ABSENT, Presence.PRESENT, Presence.ABSENT),  # broken
        "丙": (None, None, None, Presence.ABSENT, Presence.ABSENT),  # only two sessions
        "丁": (Presence.PRESENT, Presence.ABSENT, Presence.ABSENT, Presence.ABSENT, Presence.ABSENT),  # 4
        "戊": (Presence.LEAVE, Presence.LEAVE, Presence.LEAVE, Presence.LEAVE, Presence.LEAVE),
    }
    members = {}
    for month in range(5):
        for name, marks in marks_by_member.items():  # 丙 joins the branch before the fourth session
            if marks[month] is not None and name not in members:
                members[name] = member(branch, tree["building_a2"], name, actor=actors["branch"])
        session = services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                                        planned_on=datetime.date(TODAY.year - 1, month + 1, 10), topic=f"{month}")
        _hold(actors["branch"], session, {members[name].pk: (marks[month], "事假") for name, marks
                                          in marks_by_member.items() if marks[month] is not None})
    services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.MEMBERS_MEETING,
                          planned_on=TODAY + datetime.timedelta(days=3), topic="未开")
    flagged = [m.pk for m, _r in selectors.absent_streak_list(actor=actors["branch"])]
    assert sorted(flagged) == sorted([members["甲"].pk, members["丁"].pk])
    assert selectors.absent_streak_count(actor=actors["branch"]) == len(flagged)


def test_group_meetings_are_held_by_groups(tree, actors, branch):
    with pytest.raises(ValidationError) as error:
        services.session_plan(actor=actors["branch"], org=branch, kind=SessionKind.GROUP_MEETING,
                              planned_on=TODAY, topic="x")
    assert "kind" in error.value.fields


# --- model posts, service, appraisal --------------------------------------------------------------

def test_posts_and_service_records(tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    services.post_create(actor=actors["branch"], member=m, title="楼道清洁示范岗", start_date=TODAY)
    with pytest.raises(ValidationError) as error:
        services.service_record(actor=actors["branch"], member=m, served_on=TODAY, hours=30, what="值班")
    assert "hours" in error.value.fields
    services.service_record(actor=actors["branch"], member=m, served_on=TODAY, hours="2.5", what="夜间巡逻")
    assert audit_rows("party.post.create") == 1 and audit_rows("party.service.record") == 1


def test_members_rated_unqualified_by_over_a_third_are_listed(tree, actors, branch):
    a = member(branch, tree["building_a2"], "甲", actor=actors["branch"])
    b = member(branch, tree["building_a2"], "乙", actor=actors["branch"])
    c = member(branch, tree["building_a2"], "丙", actor=actors["branch"])
    appraisal = services.appraisal_open(actor=actors["branch"], org=branch, year=TODAY.year)
    ballots = [  # a: 2 of 6 unqualified (exactly a third: not listed); b: 3 of 6 (listed); c: none
        {a.pk: ("unqualified", "不参加活动"), b.pk: ("unqualified", ""), c.pk: ("excellent", "")},
        {a.pk: ("unqualified", ""), b.pk: ("unqualified", ""), c.pk: ("qualified", "")},
        {a.pk: ("qualified", ""), b.pk: ("unqualified", ""), c.pk: ("qualified", "")},
        {a.pk: ("qualified", ""), b.pk: ("basic", ""), c.pk: ("qualified", "")},
        {a.pk: ("qualified", ""), b.pk: ("qualified", ""), c.pk: ("qualified", "")},
        {a.pk: ("excellent", ""), b.pk: ("qualified", ""), c.pk: ("", "")},
    ]
    numbers = [services.appraisal_ballot_record(actor=actors["branch"], appraisal=appraisal, ratings=r) for r in ballots]
    assert numbers == [1, 2, 3, 4, 5, 6]
    results = {r.member.pk: r for r in selectors.appraisal_results(appraisal)}
    assert [pk for pk, r in results.items() if r.failing] == [b.pk]
    assert results[c.pk].total == 5
    with pytest.raises(ValidationError):
        services.appraisal_open(actor=actors["branch"], org=branch, year=TODAY.year)
    with pytest.raises(ValidationError):
        services.appraisal_ballot_record(actor=actors["branch"], appraisal=appraisal, ratings={a.pk: ("", "")})
    services.appraisal_close(actor=actors["branch"], appraisal=appraisal)
    with pytest.raises(ValidationError):
        services.appraisal_ballot_record(actor=actors["branch"], appraisal=appraisal, ratings={a.pk: ("qualified", "")})
    assert audit_rows("party.appraisal.ballot") == 6 and audit_rows("party.appraisal.close") == 1
    assert selectors.appraisal_results_of(b)[0]["failing"]
