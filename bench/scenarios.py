"""The scenarios: what city staff and integrations do all day, each with its target.

Every scenario varies its requests (another worker, another community, another demand, another
resident) so no answer is served from a warm row the previous request touched. Sessions and API
tokens are created through the product's own code (Django sessions, api_token_create) before the
clock starts. Reads run at concurrency 2 — one request per gunicorn worker, the server busy all the
time without queueing in its backlog; submission runs at 4 to keep both workers fed.
"""
from __future__ import annotations

import json
import random
from urllib.parse import quote

from django.apps import apps

from .driver import Request, Scenario

READ_P95_MS = 100
REPORT_P95_MS = 500
SUBMIT_RPS = 300
ORDER = [
    "api_submit", "open311_submit", "todo_page", "list_filtered_first", "list_filtered_deep", "list_street_first",
    "appeal_page", "api_list_filtered", "api_appeal_get", "rates_dashboard_year", "monthly_report",
    "monthly_report_xlsx",
    "resident_search_name", "resident_search_id", "resident_page", "home_page", "home_page_warm",
    "home_admin", "home_street", "home_secretary", "home_grid", "home_partner", "home_inspector",
]


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the one that signs people in
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _token(user) -> str:
    from minqing.api.services import api_token_create

    _token_row, raw = api_token_create(actor=user, name="bench", expires_in_days=30)
    return raw


def scale(args):
    """count → the requests a scenario makes at this run's --requests (at least 20)."""
    return lambda count: max(20, int(count * args.requests))


def prepare(manifest: dict, args) -> list[Scenario]:
    from django.db import connection

    from minqing.accounts.models import User

    rng = random.Random(7)
    n = scale(args)
    communities, streets = manifest["communities"], manifest["streets"]
    users = {u.username: u for u in User.objects.filter(username__regex=r"^(worker|street|secretary)")}
    street = streets[0]
    street_cookie = _session_cookie(users[f"street{street[-3:]}"])
    street_communities = [c for c in communities if c.startswith(street)]
    workers = [users[f"worker{c[-6:]}1"] for c in communities[:24] if f"worker{c[-6:]}1" in users]
    worker_cookies = [_session_cookie(u) for u in workers]
    secretary_cookies = {c: _session_cookie(users[f"secretary{c[-6:]}"]) for c in communities}
    page = lambda cookie, path: Request("GET", path, {"Cookie": cookie})  # noqa: E731
    scenarios: list[Scenario] = []
    samples = manifest["search_samples"]
    rng.shuffle(samples)

    if apps.is_installed("minqing.appeals"):
        from minqing.appeals.taxonomy import Category

        tops = list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        children = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM appeals_appeal TABLESAMPLE SYSTEM (5) WHERE place_code LIKE %s LIMIT 600",
                        [street + "%"])
            appeal_ids = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT code FROM places_place WHERE kind = 'building'")
            buildings = [r[0] for r in cur.fetchall()]
        rng.shuffle(appeal_ids)
        token_users = workers[:8]
        tokens = []
        for u in token_users:
            home = u.assignments.first().place.code
            tokens.append((_token(u), [b for b in buildings if b.startswith(home)]))
        street_token = _token(users[f"street{street[-3:]}"])

        def submit(i):
            token, places = tokens[i % len(tokens)]
            body = {"place_code": places[i % len(places)], "channel": "phone", "kind": "help",
                    "category_id": children[i % len(children)], "urgency": "normal",
                    "title": f"压测诉求 {i}", "text": f"楼道灯坏了，晚上老人出门不安全，请尽快维修（压测 {i}）。",
                    "reporter_name": "王秀兰", "phone": f"139{i % 100000000:08d}"}
            return Request("POST", "/api/v1/appeals", {"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"},
                           json.dumps(body, ensure_ascii=False).encode())

        scenarios.append(Scenario("api_submit", "登记诉求 POST /api/v1/appeals (service layer, audit, timeline)",
                                  submit, requests=n(3000), concurrency=4, target_rps=SUBMIT_RPS,
                                  expect_status=(201,), warmup=4))
        scenarios += open311_scenarios(users[f"street{street[-3:]}"], street_communities, children, n)
        scenarios.append(Scenario(
            "todo_page", "我的待办 (a community worker's to-do page)",
            lambda i: page(worker_cookies[i % len(worker_cookies)], "/appeals/todo/"),
            requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))

        def filtered(page_no):
            def make(i):
                community = street_communities[i % len(street_communities)]
                status = ("closed", "in_progress", "replied")[i % 3] if page_no == 1 else "closed"
                path = f"/appeals/?place={community}&status={status}&category={tops[i % len(tops)]}"
                return page(street_cookie, path + (f"&page={page_no}" if page_no > 1 else ""))
            return make

        scenarios.append(Scenario("list_filtered_first", "诉求列表 by community+state+category, page 1 (street staff)",
                                  filtered(1), requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))
        scenarios.append(Scenario("list_filtered_deep", "the same list, page 20 (rows 951–1000)",
                                  filtered(20), requests=n(200), concurrency=2, target_p95_ms=READ_P95_MS,
                                  note="pages past the end answer with the last page"))
        scenarios.append(Scenario(
            "list_street_first", "诉求列表, the whole street unfiltered, page 1",
            lambda i: page(street_cookie, "/appeals/" + ("" if i % 2 else "?status=closed")),
            requests=n(200), concurrency=2, target_p95_ms=READ_P95_MS))
        scenarios.append(Scenario(
            "appeal_page", "诉求详情 with its timeline (street staff)",
            lambda i: page(street_cookie, f"/appeals/{appeal_ids[i % len(appeal_ids)]}/"),
            requests=n(400), concurrency=2, target_p95_ms=READ_P95_MS))
        scenarios.append(Scenario(
            "api_list_filtered", "GET /api/v1/appeals?place_code&status&category_id (cursor page)",
            lambda i: Request("GET", f"/api/v1/appeals?place_code={street_communities[i % len(street_communities)]}"
                                     f"&status=closed&category_id={tops[i % len(tops)]}",
                              {"Authorization": f"Bearer {street_token}"}),
            requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))
        scenarios.append(Scenario(
            "api_appeal_get", "GET /api/v1/appeals/{id} with its timeline",
            lambda i: Request("GET", f"/api/v1/appeals/{appeal_ids[i % len(appeal_ids)]}",
                              {"Authorization": f"Bearer {street_token}"}),
            requests=n(400), concurrency=2, target_p95_ms=READ_P95_MS))

    scenarios += dashboard_scenarios(street, street_cookie, n)

    def search(kind):
        def make(i):
            resident_id, building, name, id_number = samples[i % len(samples)]
            q = name if kind == "name" else id_number
            return page(secretary_cookies[building[:12]], f"/residents/?q={quote(q)}")
        return make

    scenarios.append(Scenario("resident_search_name", "居民查找 by name (community secretary, LIKE '%name%')",
                              search("name"), requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))
    scenarios.append(Scenario("resident_search_id", "居民查找 by full ID number (keyed hash lookup)",
                              search("id"), requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))
    scenarios.append(Scenario(
        "resident_page", "居民详情 (community secretary)",
        lambda i: page(secretary_cookies[samples[i % len(samples)][1][:12]], f"/residents/{samples[i % len(samples)][0]}/"),
        requests=n(300), concurrency=2, target_p95_ms=READ_P95_MS))
    scenarios.append(Scenario("home_page", "首页 with its panels (a community worker)",
                              lambda i: page(worker_cookies[i % len(worker_cookies)], "/"),
                              requests=n(200), concurrency=2, target_p95_ms=READ_P95_MS))
    # The same page for four workers in turn: each community's slow-moving panel figures (visits due, party
    # counts, this month's rates, the settlement rate) are kept for five minutes per scope, so home_page —
    # a different community on nearly every request — mostly pays for computing them; this is what every
    # later visit within the five minutes costs (issue 19 item 2).
    scenarios.append(Scenario("home_page_warm", "首页 of four community workers in turn (kept panel figures warm)",
                              lambda i: page(worker_cookies[i % 4], "/"),
                              requests=n(200), concurrency=2, target_p95_ms=READ_P95_MS))
    scenarios += home_scenarios(communities, n)
    return scenarios


def open311_scenarios(street_user, communities: list[str], children: list[int], n) -> list[Scenario]:
    """Open311 GeoReport v2 `POST requests.json` from a hotline key bound to the street's account (issue 19)."""
    from urllib.parse import urlencode

    if not apps.is_installed("minqing.open311"):
        return []
    from minqing.open311.services import open311_key_create

    _key, raw = open311_key_create(actor="bench", name=f"bench 12345 {random.random():.9f}", user=street_user,
                                   channel="transfer")

    def submit(i):
        body = {"api_key": raw, "service_code": str(children[i % len(children)]), "phone": f"137{i % 100000000:08d}",
                "description": f"小区门口路灯不亮了，晚上出行不便（压测 {i}）。", "address_id": communities[i % len(communities)],
                "first_name": "秀兰", "last_name": "王"}
        return Request("POST", "/open311/v2/requests.json", {"Content-Type": "application/x-www-form-urlencoded"},
                       urlencode(body).encode())

    return [Scenario("open311_submit", "Open311 POST requests.json (a hotline key; same intake service)",
                     submit, requests=n(3000), concurrency=4, target_rps=SUBMIT_RPS, expect_status=(201,), warmup=4)]


def home_scenarios(communities: list[str], n) -> list[Scenario]:
    """The home page of each role the city has (issue 19: < 15 queries, < 30 ms CPU for every role),
    each request by another user of the role where the city has several."""
    from minqing.accounts.models import Role, User

    roles = {"admin": Role.ADMIN, "street": Role.STREET_STAFF, "secretary": Role.COMMUNITY_SECRETARY,
             "grid": Role.GRID_WORKER, "partner": Role.PARTNER_UNIT, "inspector": Role.SUPERVISOR}
    out = []
    for name, role in roles.items():
        people = list(User.objects.filter(assignments__role=role, is_active=True).order_by("username")[:24])
        if not people:
            continue
        cookies = [_session_cookie(u) for u in people]
        out.append(Scenario(f"home_{name}", f"首页 of a {role.label} ({len(cookies)} users in turn)",
                            lambda i, cookies=cookies: Request("GET", "/", {"Cookie": cookies[i % len(cookies)]}),
                            requests=n(100), concurrency=2, target_p95_ms=READ_P95_MS))
    return out


def dashboard_scenarios(street: str, cookie: str, n) -> list[Scenario]:
    """The street's rates dashboard for a year and the monthly report, once the dashboard app exists."""
    if not apps.is_installed("minqing.dashboard"):
        return []
    periods = ["2025", "12m"]
    months = ["2026-10", "2026-09", "2026-08", "2026-07"]
    get = lambda path: Request("GET", path, {"Cookie": cookie})  # noqa: E731
    return [
        Scenario("rates_dashboard_year", "街道三率 dashboard for one year (2025, and the last 12 months)",
                 lambda i: get(f"/dashboard/?place={street}&period={periods[i % 2]}"),
                 requests=n(200), concurrency=2, target_p95_ms=REPORT_P95_MS),
        Scenario("monthly_report", "月度报告 page for the street",
                 lambda i: get(f"/dashboard/report/?place={street}&month={months[i % 4]}"),
                 requests=n(100), concurrency=2, target_p95_ms=REPORT_P95_MS),
        Scenario("monthly_report_xlsx", "月度报告 as Excel for the street",
                 lambda i: get(f"/dashboard/report/xlsx/?place={street}&month={months[i % 4]}"),
                 requests=n(40), concurrency=2, target_p95_ms=REPORT_P95_MS),
    ]
