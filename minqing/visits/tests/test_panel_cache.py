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


def _read(context: dict) -> None:
    from minqing.core.counts import DeferredCount
    from minqing.disputes.figures import DisputeFigures

    for value in context.values():
        if isinstance(value, DeferredCount):
            int(value)
        elif isinstance(value, DisputeFigures):
            value.settlement_rate


def test_home_panel_counts_are_cached_per_scope_and_day(actors, django_assert_num_queries):
    first = due_panel_context(_request(actors["grid"]))
    with django_assert_num_queries(0):
        assert due_panel_context(_request(actors["grid"])) == first
    assert set(first) == {"overdue", "soon"}


@pytest.mark.parametrize("panel, fresh", [
    (due_panel_context, 0), (party_panel_context, 0), (dashboard_home_panel, 0),
    # the silent grids are read on every view and the counts of what waits counted fresh in the page's count
    # statement; the settlement rate is kept (on a miss its counts join that statement: no statement of its own)
    (disputes_panel_context, 2),
])
def test_staff_with_the_same_scope_share_one_count_and_another_scope_gets_its_own(tree, actors, panel, fresh):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def work_of(user) -> tuple[int, int]:
        """(statements, counts in them) of one view of the panel."""
        with CaptureQueriesContext(connection) as captured:
            _read(panel(_request(user)))  # as the template does: deferred counts are counted when first read
        return len(captured), " ".join(q["sql"] for q in captured).count("COUNT(")

    first = work_of(actors["secretary"])
    colleague = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="t_colleague")
    shared = work_of(colleague)
    assert shared[0] <= 1 + fresh  # their grants only: community A's figures are shared
    assert shared < first  # fewer statements, or as many with fewer counts in them
    elsewhere = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"], username="t_elsewhere")
    assert work_of(elsewhere) > shared  # counted for community B, not served A's figures
