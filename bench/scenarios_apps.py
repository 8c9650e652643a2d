"""The newer apps' pages in the city run (issue 19 item 4): every read page of party, meetings,
volunteers, training and assessment, each request by the staff of another community built by
bench/apps.py, and another record of it. Targets as the main pages: reads p95 < 100 ms; the assessment
ranking (a street's scheme, read from its stored scores) < 500 ms.
"""
from __future__ import annotations

from .driver import Request, Scenario
from .scenarios import READ_P95_MS, REPORT_P95_MS, _session_cookie

ORDER = [
    "party_index", "party_members", "party_sessions", "party_edge", "party_figures", "party_org", "party_member",
    "party_session", "party_appraisal",
    "meetings_list", "meetings_detail", "meetings_receptions", "meetings_figures",
    "volunteers_index", "volunteers_team", "volunteers_activity", "volunteers_figures", "volunteers_public",
    "training_sessions", "training_session", "training_answers", "training_accuracy", "training_quiz_results",
    "assessment_schemes", "assessment_ranking", "assessment_civility", "assessment_five_ones",
]


def _rows(model, built: list[str], field: str = "place_code", limit: int = 200) -> list[tuple[int, str]]:
    """(primary key, place code) of rows of the built communities, spread over them."""
    from django.db.models import Q  # Django is set up by bench.city before the scenarios are prepared

    where = Q()
    for code in built:
        where |= Q(**{f"{field}__startswith": code})
    return list(model.objects.filter(where).order_by("?").values_list("pk", field)[:limit])


def prepare_apps(manifest: dict, n) -> list[Scenario]:
    built = manifest.get("apps", {}).get("communities") or []
    if not built:
        return []
    from minqing.places.codes import community_code, street_code
    from minqing.accounts.models import User
    from minqing.assessment.models import Scheme
    from minqing.meetings.models import Meeting
    from minqing.party.models import AppraisalRound, OrgSession, PartyMember, PartyOrg
    from minqing.training.models import Quiz, TrainingSession
    from minqing.volunteers.models import Activity, Team

    def cookies(prefix: str, codes) -> list[str]:
        users = User.objects.filter(username__in=[f"{prefix}{c}" for c in codes]).order_by("username")
        return [_session_cookie(u) for u in users]

    secretary_of = {c: _session_cookie(User.objects.get(username=f"secretary{c[-6:]}")) for c in built}
    secretaries = list(secretary_of.values())
    workers = cookies("worker", [f"{c[-6:]}1" for c in built])
    branches = cookies("branch", [c[-6:] for c in built])
    street_codes = sorted({street_code(c) for c in built})
    streets = cookies("street", [code[-3:] for code in street_codes])
    street_staff_of = {code: _session_cookie(u) for code in street_codes
                       for u in User.objects.filter(username=f"street{code[-3:]}")}
    grids = [_session_cookie(u) for u in User.objects.filter(username__startswith="grid",
                                                             assignments__place__code__startswith=built[0])[:1]]
    records = {
        "org": _rows(PartyOrg, built), "member": _rows(PartyMember, built), "session": _rows(OrgSession, built),
        "appraisal": _rows(AppraisalRound, built), "meeting": _rows(Meeting, built),
        "team": _rows(Team, built), "activity": _rows(Activity, built),
        "training": _rows(TrainingSession, built, "place__code"),
        "quiz": _rows(Quiz, sorted({street_code(c) for c in built}), "place__code"),
        "scheme": _rows(Scheme, sorted({street_code(c) for c in built}), "street__code"),
    }

    def each(kind: str, pattern: str):
        """Another record each request, read by the secretary of its community, or a street's record by that
        street's staff (a street's records were read by whichever street's staff came next in turn: a
        third of the requests were another street's scheme or quiz, rightly not found)."""
        rows = records[kind] or [(0, built[0])]

        def reader(code: str):
            return secretary_of.get(community_code(code)) or street_staff_of.get(street_code(code))
        return lambda i: (pattern.format(rows[i % len(rows)][0]), reader(rows[i % len(rows)][1]))

    def page(name, title, who, path, target=READ_P95_MS, count=150):
        def make(i):
            url, owner = path(i) if callable(path) else (path, None)
            return Request("GET", url, {"Cookie": owner or who[i % len(who)]})
        return Scenario(name, title, make, requests=n(count), concurrency=2, target_p95_ms=target)

    return [
        page("party_index", "党建首页 (community secretary)", secretaries, "/party/"),
        page("party_members", "党员名册", secretaries, "/party/members/"),
        page("party_sessions", "三会一课 (branch secretary)", branches, "/party/sessions/"),
        page("party_edge", "边缘党员", branches, "/party/edge/"),
        page("party_figures", "党建统计", secretaries, "/party/figures/"),
        page("party_org", "组织详情", secretaries, each("org", "/party/orgs/{}/")),
        page("party_member", "党员详情", secretaries, each("member", "/party/members/{}/")),
        page("party_session", "组织生活详情", secretaries, each("session", "/party/sessions/{}/")),
        page("party_appraisal", "民主评议", secretaries, each("appraisal", "/party/appraisals/{}/")),
        page("meetings_list", "会议列表", secretaries, "/meetings/"),
        page("meetings_detail", "会议详情 with opinions", secretaries, each("meeting", "/meetings/{}/")),
        page("meetings_receptions", "接访日", secretaries, "/meetings/receptions/"),
        page("meetings_figures", "会议统计", secretaries, "/meetings/figures/"),
        page("volunteers_index", "志愿服务 (community worker)", workers, "/volunteers/"),
        page("volunteers_team", "服务队详情", workers, each("team", "/volunteers/teams/{}/")),
        page("volunteers_activity", "活动详情 with sign-ups", workers, each("activity", "/volunteers/activities/{}/")),
        page("volunteers_figures", "志愿服务统计", workers, "/volunteers/figures/"),
        Scenario("volunteers_public", "公开报名页 (no login)", lambda i: Request("GET", "/volunteers/join/", {}),
                 requests=n(150), concurrency=2, target_p95_ms=READ_P95_MS),
        page("training_sessions", "培训列表 (grid worker)", grids or secretaries, "/training/"),
        page("training_session", "培训详情", secretaries, each("training", "/training/sessions/{}/")),
        page("training_answers", "政策问答", grids or secretaries, "/training/answers/"),
        page("training_accuracy", "政策建议准确率", secretaries, "/training/answers/accuracy/"),
        page("training_quiz_results", "测验结果 (street staff)", streets, each("quiz", "/training/quizzes/{}/results/")),
        page("assessment_schemes", "考核方案", streets, "/assessment/"),
        page("assessment_ranking", "考核排名 (stored scores)", streets, each("scheme", "/assessment/{}/"),
             target=REPORT_P95_MS),
        page("assessment_civility", "四无楼栋", secretaries, "/assessment/civility/"),
        page("assessment_five_ones", "五个一", streets, "/assessment/five-ones/"),
    ]
