"""The scheduler's per-community ledger tally and the home panels above a community that sum it."""
import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minqing.residents.models import Household, LedgerChange, LedgerTally, Resident, ResidentStatus
from minqing.residents.selectors import ledger_counts, ledger_tally_figures, ledger_tally_values
from minqing.residents.tally import TALLY_EVERY, TALLY_TRUSTED_FOR, ledger_tally_count, ledger_tally_refresh

from .factories import HouseholdFactory, make_resident


@pytest.fixture
def varied(tree, ledger):
    """Beside the ledger fixture: a moved-out resident, a floating one, an inactive household, a liaison."""
    make_resident(ledger["h_a1"], "孙离开", relation="child", status=ResidentStatus.MOVED_OUT)
    make_resident(ledger["h_b1"], "钱流动", relation="child", is_floating=True)
    Household.objects.filter(pk=HouseholdFactory(building=tree["building_b2"]).pk).update(is_active=False)
    Household.objects.filter(pk=ledger["h_a2"].pk).update(liaison=None)
    return ledger


def _living_on_home(client) -> int:
    body = client.get(reverse("home")).content.decode()
    return int(re.search(r'<div class="value">([\d,]+)</div><div class="label">在住居民', body)[1].replace(",", ""))


def test_the_tally_sums_to_the_live_figures_of_every_scope_above_a_community(actors, varied, tree):
    now = timezone.now()
    assert ledger_tally_refresh(now) == "2 communities counted"
    for role in ("street", "admin"):
        tallied = ledger_tally_figures(actor=actors[role], now=now)
        assert tallied == {"counts": ledger_counts(actor=actors[role]), "as_of": now}, role
    assert {row.place_code: (row.residents, row.floating, row.households, row.without_liaison)
            for row in LedgerTally.objects.all()} == {tree["community_a"].code: (3, 0, 2, 2),
                                                      tree["community_b"].code: (2, 1, 1, 1)}


def test_a_scope_sums_only_its_own_communities(actors, varied, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    ledger_tally_refresh(timezone.now())
    secretary_b = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"], username="t_secretary_b")
    figures = ledger_tally_figures(actor=secretary_b, now=timezone.now())["counts"]
    assert figures == ledger_counts(actor=secretary_b)


def test_the_job_counts_again_only_after_its_interval_and_drops_emptied_communities(actors, varied, tree):
    now = timezone.now()
    ledger_tally_refresh(now)
    assert ledger_tally_refresh(now + TALLY_EVERY / 2) == "ledger tally fresh"
    Resident.objects.filter(place_code__startswith=tree["community_b"].code).update(status=ResidentStatus.MOVED_OUT)
    Household.objects.filter(place_code__startswith=tree["community_b"].code).update(is_active=False)
    # a bulk update, outside any service, is still seen: the changed community is counted again at once
    assert ledger_tally_refresh(now + TALLY_EVERY / 2) == "1 changed communities counted"
    assert list(LedgerTally.objects.values_list("place_code", flat=True)) == [tree["community_a"].code]
    assert not LedgerChange.objects.exists()
    assert ledger_tally_refresh(now + TALLY_EVERY / 2) == "ledger tally fresh"
    assert ledger_tally_refresh(now + TALLY_EVERY) == "1 communities counted"
    assert LedgerTally.objects.count() == 1
    assert ledger_tally_figures(actor=actors["street"], now=now + TALLY_EVERY)["counts"] == ledger_counts(
        actor=actors["street"])


def test_every_write_to_residents_and_households_notes_its_communities(actors, varied, tree):
    from minqing.residents.services import resident_move_to

    a, b = tree["community_a"].code, tree["community_b"].code
    LedgerChange.objects.all().delete()
    make_resident(varied["h_a2"], "赵新来", relation="child")
    assert set(LedgerChange.objects.values_list("place_code", flat=True)) == {a}
    LedgerChange.objects.all().delete()
    Household.objects.filter(pk=varied["h_b1"].pk).update(room="3单元304")
    assert set(LedgerChange.objects.values_list("place_code", flat=True)) == {b}
    LedgerChange.objects.all().delete()
    resident_move_to(actor=actors["admin"], resident_id=varied["b1"].pk, household_id=varied["h_a1"].pk,
                     date=timezone.localdate())  # from B to A: both change
    assert set(LedgerChange.objects.values_list("place_code", flat=True)) == {a, b}
    LedgerChange.objects.all().delete()
    Resident.objects.filter(pk=-1).update(is_floating=True)  # no row: nothing noted
    assert not LedgerChange.objects.exists()


def test_a_change_made_while_counting_waits_for_the_next_run(actors, varied, tree):
    now = timezone.now()
    ledger_tally_refresh(now)
    make_resident(varied["h_a2"], "赵新来", relation="child")
    seen = dict(LedgerChange.objects.values_list("id", "place_code"))
    make_resident(varied["h_a2"], "钱后来", relation="child")  # committed after the job read the changes
    ledger_tally_count(now, changes=seen)
    assert LedgerChange.objects.exclude(id__in=list(seen)).exists()
    assert not _tallied(actors["secretary"], now)


def test_the_street_panel_reads_the_tally_in_one_query_and_says_as_of_when(actors, varied):
    from django.db import connection

    from minqing.accounts.policy import place_codes

    ledger_tally_refresh(timezone.now())
    place_codes(actors["street"], "ledger.view")  # the actor's places, read once per request by every panel
    with CaptureQueriesContext(connection) as queries:
        assert ledger_tally_figures(actor=actors["street"], now=timezone.now()) is not None
    assert len(queries) == 1
    street = Client()
    street.force_login(actors["street"])
    before = _living_on_home(street)
    assert "as-of" in street.get(reverse("home")).content.decode()
    make_resident(varied["h_a2"], "赵新来", relation="child")
    cache.clear()  # even with the panel's own five minutes gone, the tally is what it shows
    assert _living_on_home(street) == before
    ledger_tally_refresh(timezone.now() + TALLY_EVERY)
    cache.clear()
    assert _living_on_home(street) == before + 1


def test_without_a_recent_tally_the_panel_counts_live(actors, varied):
    now = timezone.now()
    assert ledger_tally_figures(actor=actors["street"], now=now) is None  # the scheduler never ran
    ledger_tally_refresh(now - TALLY_TRUSTED_FOR - datetime.timedelta(minutes=1))
    assert ledger_tally_figures(actor=actors["street"], now=now) is None  # it stopped half an hour ago
    assert not _tallied(actors["secretary"], now)
    street = Client()
    street.force_login(actors["street"])
    make_resident(varied["h_a2"], "赵新来", relation="child")
    assert _living_on_home(street) == ledger_counts(actor=actors["street"])["residents"]


def _tallied(actor, now=None) -> dict:
    """The community figures the tally can answer exactly now ({} when it cannot)."""
    values = ledger_tally_values(actor=actor, now=now or timezone.now())
    return {name: row[0]["figure"] for name, qs in values.items() if (row := list(qs))}


def test_a_community_panel_reads_its_tally_while_nothing_changed_and_stays_exact(actors, varied, tree):
    from django.db import connection

    secretary = Client()
    secretary.force_login(actors["secretary"])
    live = _living_on_home(secretary)
    assert live == ledger_counts(actor=actors["secretary"])["residents"]
    assert not _tallied(actors["secretary"])  # never counted: the panel counted live
    ledger_tally_refresh(timezone.now())
    assert _tallied(actors["secretary"]) == ledger_counts(actor=actors["secretary"])
    with CaptureQueriesContext(connection) as home:
        assert _living_on_home(secretary) == live
    counting = [q["sql"] for q in home.captured_queries if "residents_ledgertally" in q["sql"]]
    assert len(counting) == 1 and "COALESCE" in counting[0]  # in the page's one count query
    assert "as-of" not in secretary.get(reverse("home")).content.decode()  # exact, so no "as of"
    make_resident(varied["h_a2"], "赵新来", relation="child")  # before the scheduler's next run
    assert _living_on_home(secretary) == live + 1
    ledger_tally_refresh(timezone.now())
    assert _living_on_home(secretary) == live + 1
    assert not LedgerChange.objects.exists()


def test_a_change_in_another_community_leaves_a_community_on_its_tally(actors, varied, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    ledger_tally_refresh(timezone.now())
    make_resident(varied["h_b1"], "钱流动二", relation="child")
    assert _tallied(actors["secretary"]) == ledger_counts(actor=actors["secretary"])
    assert not _tallied(user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"], username="t_secretary_b"))
    # the street's sum is "as of" its count, changes or not
    assert ledger_tally_figures(actor=actors["street"], now=timezone.now()) is not None


def test_a_grid_worker_counts_live(actors, varied):
    ledger_tally_refresh(timezone.now())
    grid = Client()
    grid.force_login(actors["grid"])
    assert _living_on_home(grid) == ledger_counts(actor=actors["grid"])["residents"]


def test_my_households_are_counted_without_joining_their_residents(actors, varied):
    from minqing.core.counts import count_sql
    from minqing.residents.selectors import household_list, household_rows

    Household.objects.filter(pk__in=[varied["h_a1"].pk, varied["h_a2"].pk]).update(liaison=actors["worker"])
    counted = household_rows(actor=actors["worker"], liaison_id=actors["worker"].pk)
    assert counted.count() == household_list(actor=actors["worker"], liaison_id=actors["worker"].pk).count() == 2
    assert "JOIN" not in count_sql(counted).sql
    worker = Client()
    worker.force_login(actors["worker"])
    assert "我联系的 2 户" in worker.get(reverse("home")).content.decode()
