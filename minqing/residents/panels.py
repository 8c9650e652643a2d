"""The ledger's panel on the home page: the figures of the actor's scope, and their own households.

A community's figures (~20,000 residents) are counted live with the page's other counts (their SQL compiled
once a minute per user: core.counts.kept_count_sql). Above a community they are not cheap — a street's
~125,000 residents cost ~100 ms of database time, the whole city's 1,000,000 ~360 ms, on every visit to the
home page (bench/results/city-2m.md) — and they change by a few rows a day, so a street's, a district's or
the whole city's figures are summed from the scheduler's per-community tally (residents/tally.py; counted live
when the scheduler has not run lately), kept for a few minutes per scope (shared by everyone with that scope),
and the panel says as of when."""
from django.utils import timezone

from minqing.accounts.navigation import kept_per_scope
from minqing.accounts.policy import ALL, place_codes
from minqing.core.counts import kept_count_sql, request_counts
from minqing.places.codes import code_length
from minqing.places.models import PlaceKind

from .selectors import household_list, ledger_count_querysets, ledger_counts, ledger_tally_figures


def ledger_panel_context(request) -> dict:
    actor = request.user
    batch = request_counts(request)
    codes = place_codes(actor, "ledger.view")
    if not _wider_than_a_community(codes):
        counts = batch.count_later(kept_count_sql("ledger", actor, lambda: {
            **ledger_count_querysets(actor=actor), "my_households": household_list(actor=actor, liaison_id=actor.pk)}))
        return {"counts": counts, "as_of": None, "my_households": counts["my_households"]}
    mine = batch.count_later(kept_count_sql("ledger-mine", actor, lambda: {
        "my_households": household_list(actor=actor, liaison_id=actor.pk)}))
    kept = kept_per_scope("ledger", actor, "ledger.view", lambda: _figures_above_a_community(actor))
    return {**kept, "my_households": mine["my_households"]}


def _figures_above_a_community(actor) -> dict:
    """The scheduler's tally summed over the scope (residents.tally); counted live if it has not run lately."""
    now = timezone.now()
    return ledger_tally_figures(actor=actor, now=now) or {"counts": ledger_counts(actor=actor), "as_of": now}


def _wider_than_a_community(codes) -> bool:
    return codes is ALL or any(len(code) < code_length(PlaceKind.COMMUNITY) for code in codes)
