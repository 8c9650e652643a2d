"""The home page of every role: a small, fixed number of queries whatever the data size (issue 19 item 2).

Each role's home page is requested on a small data set and again after the data grew several-fold (more
demands in every state, more households and residents, visits); the count must not move and must stay
under the budget. The city benchmark's `home_*` scenarios measure the same pages at city scale.
"""
import pytest
from django.core.cache import cache
from django.urls import reverse

from minqing.core.tests.test_query_budgets import count, grow, rollups

pytestmark = pytest.mark.django_db

# A second view in the same process (the panels' figures kept): measured 5 for admin, street, secretary, worker and
# supervisor, 4 for the grid worker, fewer for the rest (stop 38); the first view is tested below.
HOME_BUDGET = 6  # one spare: a kept figure expiring between the two views
ROLES = ["admin", "street", "secretary", "worker", "grid", "building", "branch", "partner", "supervisor"]


@pytest.mark.parametrize("role", ROLES)
def test_home_page_queries_stay_flat_and_within_budget(role, client, tree, actors, django_assert_max_num_queries):
    user = actors[role]
    grow(tree, actors, 1)
    rollups()
    cache.clear()
    small = count(client, user, reverse("home"))
    grow(tree, actors, 6)
    rollups()
    cache.clear()  # per-actor panel caches would hide growth
    large = count(client, user, reverse("home"))
    assert large == small, f"{role}: {small} queries on the small data set, {large} after it grew"
    assert large <= HOME_BUDGET, f"{role}: {large} queries"


# issue 19 asks < 15 on every role's home page. Measured here (stop 38): street 13, admin 12, secretary, worker and
# supervisor 11, grid 10, building head and partner 7, branch secretary 5 — the ledger's tally is stale in tests, so
# the panels above a community count live (one statement more than beside the scheduler)
FIRST_VISIT_BUDGET = 14  # one spare, as above; the issue asks < 15


@pytest.mark.parametrize("role", ROLES)
def test_a_first_visit_of_the_home_page_stays_within_budget(role, client, tree, actors):
    """The costly view: the first of a user in this process (their session, user and grants read) and of their
    scope (every kept panel figure counted), in a process other people's pages have warmed (navigation, places,
    visit cycles). Each kept panel's figures are counted with the page's count statement where they are counts
    (accounts.navigation.kept_counts)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role
    from minqing.core.ttlcache import caches_clear, stamp_check

    grow(tree, actors, 2)
    rollups()
    stamp_check(force=True)
    caches_clear()
    for other in (user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"], username="t_elsewhere"),
                  user_with_role(Role.ADMIN, tree["district"], username="t_other_admin")):
        client.force_login(other)
        client.get(reverse("home"))
    cache.clear()  # the panels' kept figures: as if no one of this scope had come for five minutes
    client.force_login(actors[role])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    statements = len(ctx.captured_queries)
    assert statements <= FIRST_VISIT_BUDGET, f"{role}: {statements} statements on a first visit"
