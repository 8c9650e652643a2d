import pytest
from django.test import RequestFactory

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.dashboard.selectors import dashboard_home_panel
from minqing.disputes.panels import home_panel_context as disputes_panel_context
from minqing.party.panels import party_panel_context
from minqing.visits.panels import due_panel_context

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_home_panel_counts_are_cached_per_scope_and_day(actors, django_assert_num_queries):
    first = due_panel_context(_request(actors["grid"]))
    with django_assert_num_queries(0):
        assert due_panel_context(_request(actors["grid"])) == first
    assert set(first) == {"overdue", "soon"}


@pytest.mark.parametrize("panel, fresh", [
    (due_panel_context, 0), (party_panel_context, 0), (dashboard_home_panel, 0),
    (disputes_panel_context, 1),  # the silent grids are read on every view; the settlement rate is kept
])
def test_staff_with_the_same_scope_share_one_count_and_another_scope_gets_its_own(tree, actors, panel, fresh):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of(user) -> int:
        with CaptureQueriesContext(connection) as captured:
            panel(_request(user))
        return len(captured)

    assert queries_of(actors["secretary"]) > 1 + fresh
    colleague = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="t_colleague")
    assert queries_of(colleague) <= 1 + fresh  # their grants only: community A's count is shared
    elsewhere = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"], username="t_elsewhere")
    assert queries_of(elsewhere) > 1 + fresh  # counted for community B, not served A's figures
