"""Demands over the API: the full loop through the appeals services, partner inbox and reply,
scope, state, version conflicts, idempotent submission, and the error shape for every verb."""
import pytest

from minqing.appeals.models import Appeal, AppealEvent
from minqing.appeals.taxonomy import Category
from minqing.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(
    "not __import__('django.apps').apps.apps.is_installed('minqing.appeals')", reason="appeals not installed")]
JSON = "application/json"
VERBS = ["accept", "reject", "dispatch", "start", "return", "reply", "follow-up", "close", "reopen", "supervise",
         "merge"]


def code_of(response):
    return response.json()["error"]["code"]


@pytest.fixture
def category():
    return Category.objects.filter(parent__isnull=False, is_active=True).first()


@pytest.fixture
def submit(client, bearer, tree, category):
    def post(actor, place="grid_a1", **extra):
        payload = {"place_code": tree[place].code, "text": "楼道灯坏了一个星期了", "channel": "phone",
                   "category_id": category.pk, "phone": "13812345678", "reporter_name": "张三丰", **extra}
        return client.post("/api/v1/appeals", payload, content_type=JSON, **bearer(actor))
    return post


def test_full_loop_with_a_partner_unit(client, actors, bearer, submit):
    worker, partner = bearer(actors["worker"]), bearer(actors["partner"])
    created = submit(actors["worker"])
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted" and body["phone"] == "138****5678" and body["reporter_name"] == "张*丰"
    appeal_id = body["id"]
    url = f"/api/v1/appeals/{appeal_id}"
    assert client.post(f"{url}/accept", {"version": body["version"]}, content_type=JSON, **worker).status_code == 200
    unit_id = actors["partner"].assignments.get().partner_unit_id
    dispatched = client.post(f"{url}/dispatch", {"leader": "t_secretary", "handler_unit_id": unit_id},
                             content_type=JSON, **worker)
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["handle_deadline"] and dispatched.json()["handler_unit_id"] == unit_id
    inbox = client.get("/api/v1/partner/inbox", **partner).json()["results"]
    assert [a["id"] for a in inbox] == [appeal_id]
    assert client.post(f"{url}/start", {}, content_type=JSON, **partner).json()["status"] == "in_progress"
    replied = client.post(f"{url}/reply", {"outcome": "solved", "text": "已更换灯泡"}, content_type=JSON, **partner)
    assert replied.json()["status"] == "replied"
    assert client.get("/api/v1/partner/inbox", **partner).json()["results"] == []
    followed = client.post(f"{url}/follow-up", {"satisfaction": "satisfied"}, content_type=JSON, **worker)
    assert followed.json()["status"] == "followed_up"
    closed = client.post(f"{url}/close", {}, content_type=JSON, **worker)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    detail = client.get(url, **worker).json()
    assert [e["verb"] for e in detail["events"]] == ["submit", "accept", "dispatch", "start", "reply", "follow_up",
                                                     "close"]
    actions = set(AuditEntry.objects.filter(object_type="appeals.appeal", object_id=str(appeal_id))
                  .values_list("action", flat=True))
    assert {"appeal.submit", "appeal.accept", "appeal.dispatch", "appeal.reply", "appeal.close"} <= actions


def test_list_filters_scope_and_cursor(client, actors, bearer, submit, django_assert_max_num_queries):
    for _ in range(3):
        submit(actors["admin"], place="grid_a1")
    submit(actors["admin"], place="grid_b1")
    headers = bearer(actors["worker"])  # community A
    with django_assert_max_num_queries(6):
        page = client.get("/api/v1/appeals?page_size=2", **headers).json()
    rest = client.get(page["next"], **headers).json()
    assert len(page["results"]) == 2 and len(rest["results"]) == 1 and rest["next"] is None
    assert client.get("/api/v1/appeals?status=closed", **headers).json()["results"] == []
    admin = client.get("/api/v1/appeals?place_code=110105003002", **bearer(actors["admin"])).json()["results"]
    assert len(admin) == 1


def test_get_outside_scope_and_missing_are_404(client, actors, bearer, submit):
    other = submit(actors["admin"], place="grid_b1").json()["id"]
    for url in (f"/api/v1/appeals/{other}", "/api/v1/appeals/999999"):
        response = client.get(url, **bearer(actors["worker"]))
        assert response.status_code == 404 and code_of(response) == "not_found"


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_unauthenticated_not_found_and_invalid(client, actors, bearer, verb):
    assert code_of(client.post(f"/api/v1/appeals/1/{verb}", {}, content_type=JSON)) == "unauthenticated"
    missing = client.post(f"/api/v1/appeals/999999/{verb}", _valid_body(verb), content_type=JSON,
                          **bearer(actors["admin"]))
    assert missing.status_code == 404 and code_of(missing) == "not_found"
    invalid = client.post(f"/api/v1/appeals/1/{verb}", "{not json", content_type=JSON, **bearer(actors["admin"]))
    assert (invalid.status_code, code_of(invalid)) == (400, "bad_request")


def _valid_body(verb):
    return {"reject": {"reason": "x"}, "dispatch": {"leader": "t_admin", "handler_user": "t_worker"},
            "return": {"reason": "x"}, "reply": {"outcome": "solved", "text": "x"},
            "follow-up": {"satisfaction": "satisfied"}, "reopen": {"reason": "x"}, "supervise": {"demand": "x"},
            "merge": {"into_id": 1}}.get(verb, {})


def test_forbidden_in_scope_without_the_right(client, actors, bearer, submit):
    appeal_id = submit(actors["worker"]).json()["id"]
    response = client.post(f"/api/v1/appeals/{appeal_id}/accept", {}, content_type=JSON, **bearer(actors["grid"]))
    assert response.status_code == 403 and code_of(response) == "forbidden"
    assert Appeal.objects.get().status == "submitted"


def test_submit_outside_scope_and_invalid(client, actors, submit):
    outside = submit(actors["worker"], place="grid_b1")
    assert outside.status_code == 404 and code_of(outside) == "not_found"
    short = submit(actors["worker"], text="灯")
    assert short.status_code == 422 and list(short.json()["error"]["fields"]) == ["text"]
    unknown = submit(actors["worker"], category_id=999999)
    # an unknown referenced id is 404, as the schema documents; the message names the field
    assert unknown.status_code == 404 and code_of(unknown) == "not_found"
    assert unknown.json()["error"]["message"].startswith("category_id")
    missing = submit(actors["worker"], channel="telepathy")
    assert missing.status_code == 422 and "channel" in missing.json()["error"]["fields"]
    assert not Appeal.objects.exists()


def test_transition_not_allowed_and_version_conflict(client, actors, bearer, submit):
    appeal_id = submit(actors["worker"]).json()["id"]
    headers = bearer(actors["worker"])
    early = client.post(f"/api/v1/appeals/{appeal_id}/reply", {"outcome": "solved", "text": "x"}, content_type=JSON,
                        **headers)
    assert early.status_code == 409 and code_of(early) == "transition_not_allowed"
    stale = client.post(f"/api/v1/appeals/{appeal_id}/accept", {"version": 99}, content_type=JSON, **headers)
    assert stale.status_code == 409 and code_of(stale) == "conflict"
    unknown_leader = client.post(f"/api/v1/appeals/{appeal_id}/dispatch", {"leader": "nobody"}, content_type=JSON,
                                 **headers)
    assert unknown_leader.status_code == 404 and unknown_leader.json()["error"]["message"].startswith("leader")


def test_submission_is_idempotent_for_a_hotline_push(client, actors, bearer, tree, category):
    headers = {**bearer(actors["street"]), "HTTP_IDEMPOTENCY_KEY": "12345-2026-000871"}
    payload = {"place_code": tree["community_a"].code, "text": "12345 转办：小区供暖不热", "channel": "transfer",
               "category_id": category.pk}
    first = client.post("/api/v1/appeals", payload, content_type=JSON, **headers)
    again = client.post("/api/v1/appeals", payload, content_type=JSON, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["receipt_code"] == again.json()["receipt_code"] and again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1 and AppealEvent.objects.filter(verb="submit").count() == 1
    other_client = client.post("/api/v1/appeals", payload, content_type=JSON, HTTP_IDEMPOTENCY_KEY="12345-2026-000871",
                               **bearer(actors["admin"]))
    assert other_client.status_code == 201 and Appeal.objects.count() == 2  # keys are per client


def test_partner_inbox_for_non_partner_is_forbidden(client, actors, bearer):
    response = client.get("/api/v1/partner/inbox", **bearer(actors["worker"]))
    assert response.status_code == 403 and code_of(response) == "not_partner_unit"


def test_partner_cannot_touch_what_was_not_sent_to_it(client, actors, bearer, submit):
    appeal_id = submit(actors["worker"]).json()["id"]
    response = client.post(f"/api/v1/appeals/{appeal_id}/reply", {"outcome": "solved", "text": "x"},
                           content_type=JSON, **bearer(actors["partner"]))
    assert response.status_code == 404


def test_categories_tree(client, actors, bearer):
    tops = client.get("/api/v1/categories", **bearer(actors["grid"], access="read")).json()
    assert tops and all(t["parent_id"] is None for t in tops) and any(t["children"] for t in tops)


def test_rates_for_the_callers_scope(client, actors, bearer, submit):
    submit(actors["worker"])
    from minqing.dashboard.periods import period_parse
    from minqing.dashboard.selectors import figures_for

    rows = client.get("/api/v1/rates?period=12m", **bearer(actors["worker"])).json()
    page = figures_for(actor=actors["worker"], period=period_parse("12m")).as_dict()  # what the dashboard shows
    assert len(rows) == 1 and rows[0]["counts"] == page["counts"] and set(rows[0]["rates"]) == set(page["rates"])
    grouped = client.get("/api/v1/rates?group_by=channel", **bearer(actors["admin"]))
    assert grouped.status_code == 200 and all(set(r["counts"]) == set(page["counts"]) for r in grouped.json())
    bad = client.get("/api/v1/rates?period=someday", **bearer(actors["worker"]))
    assert bad.status_code == 422 and list(bad.json()["error"]["fields"]) == ["period"]
    outside = client.get("/api/v1/rates?place_code=110105003002", **bearer(actors["worker"]))
    assert outside.status_code == 404
    assert client.get("/api/v1/rates").status_code == 401


def test_rates_unknown_category_is_404(client, actors, bearer):
    response = client.get("/api/v1/rates?category=999999", **bearer(actors["admin"]))
    assert response.status_code == 404 and code_of(response) == "not_found"
