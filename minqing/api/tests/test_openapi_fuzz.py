"""schemathesis fuzzes every operation of our OpenAPI document, in process (no network), with a bounded
number of examples and ALL its checks: no 5xx, every status documented, every body matching its schema
(errors included), schema-violating input refused, schema-valid input accepted — then its stateful phase
follows the links it infers (POST /appeals → /appeals/{id}/accept → …) so the lifecycle endpoints run on
demands that exist, not only on 404s.

Schema-valid input may still break a rule no schema can state — an ID number's checksum, a period in
range, a move the demand's current state does not allow, a version someone else saved — and is then
refused with 409/422 in the one error shape; those two statuses are therefore expected for positive
data too. The refusals the schema CAN state (blank texts, masked numbers, dates, unknown ids) are stated
and pinned by test_schema_agreement.py."""
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from minqing.api.services import api_token_create
from minqing.residents.services import household_create, resident_register

# Per operation: 25 operations × 5 examples keeps the suite's run short; MINQING_FUZZ_EXAMPLES=40 digs deeper.
MAX_EXAMPLES = int(os.environ.get("MINQING_FUZZ_EXAMPLES", "5"))
# The stateful phase: a few short scenarios (well under a minute on the CI machine).
STATEFUL_EXAMPLES = int(os.environ.get("MINQING_FUZZ_STATEFUL_EXAMPLES", "40"))
STATEFUL_STEPS = 6

# Loaded at collection: the document is served without a database (schemathesis' lazy fixture
# loader does not run under pytest 9, which dropped the node attribute it rewrites).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "401", "403", "404", "409", "422"])


@pytest.fixture
def keep_test_connection():
    """Requests go straight into the WSGI handler, whose request_started/finished signals close a
    connection that is inside a transaction — the test's own, on PostgreSQL. Django's test Client
    disconnects the same receiver for the same reason."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db, tree, actors, settings, keep_test_connection):
    settings.MINQING_API_RATES = {"token": "100000/m"}
    household = household_create(actor=actors["admin"], building_id=tree["building_a1"].pk, room="1单元101")
    resident_register(actor=actors["admin"], household_id=household.pk, name="张三")
    return api_token_create(actor=actors["admin"], name="fuzz")[1]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.slow
def test_stateful_links_exercise_the_lifecycle(token, tree):
    calls = []
    # Set as the run's explicit credentials, so the ignored-auth check knows them and can take them away.
    schema.config.update(headers={"Authorization": f"Bearer {token}"})

    class Workflow(schema.as_state_machine()):
        def before_call(self, case):
            # The token, and not a generated session cookie (the schema's other way in), is how we call.
            case.cookies = {}
            # File demands at a real place, so the links (POST /appeals → /appeals/{appeal_id}/…) have a
            # demand to follow; random place codes would only ever reach the 404s.
            if (case.method, case.operation.path) == ("POST", "/api/v1/appeals") and isinstance(case.body, dict):
                case.body = {**case.body, "place_code": tree["building_a1"].code, "text": "小区门口路灯不亮了，晚上看不见",
                             "category_id": None, "resident_id": None}
            elif case.operation.path.startswith("/api/v1/appeals/{appeal_id}/") and isinstance(case.body, dict):
                # no stale version, no made-up category: let the verb meet the demand's real state
                case.body = {**case.body, "version": None, **({"category_id": None} if "category_id" in case.body else {})}

        def after_call(self, response, case):
            calls.append((case.method, case.operation.path, response.status_code))

    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=STATEFUL_EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None, derandomize=True,
        database=None, suppress_health_check=list(HealthCheck)))
    # the lifecycle endpoints met demands that exist (done, or refused by the demand's state: 409/422),
    # not only the 404 of an id that never was
    assert ("POST", "/api/v1/appeals", 201) in calls, sorted(set(calls))
    lifecycle = {(path, status) for _method, path, status in calls if path.startswith("/api/v1/appeals/{appeal_id}/")}
    assert any(status != 404 for _path, status in lifecycle), sorted(lifecycle)
