"""The ledger's panel on the home page: the figures of the actor's scope, and their own households.

The figures come from the scheduler's per-community tally (residents/tally.py) where it can answer:
- a community's (~20,000 residents, ~8 ms of database time on every visit if counted) are read from its row
  while no resident or household of the community changed since it was counted (database triggers note every
  change), so they are exact; otherwise, and for a grid's, counted live. Either way in the page's one count
  query (its SQL compiled once a minute per user: core.counts.kept_count_sql), the count run only when the
  tally cannot answer (core.counts.FirstOf);
- a street's, a district's or the whole city's (~125,000 residents ~100 ms, 1,000,000 ~360 ms) are summed from
  the rows of its scope even after a change, kept for a few minutes per scope (shared by everyone with that
  scope), and the panel says as of when.
Either way a tally the scheduler has not refreshed lately is not used: the panel counts live."""
from django.utils import timezone

from minqing.accounts.navigation import kept_per_scope
from minqing.accounts.policy import ALL, place_codes
from minqing.core.counts import FirstOf, kept_count_sql, request_counts
from minqing.places.codes import code_length
from minqing.places.models import PlaceKind

from .selectors import (household_rows, ledger_count_querysets, ledger_counts, ledger_tally_figures,
                        ledger_tally_values)

COMMUNITY_CODE_LENGTH = code_length(PlaceKind.COMMUNITY)


def ledger_panel_context(request) -> dict:
    actor = request.user
    batch = request_counts(request)
    codes = place_codes(actor, "ledger.view")
    if codes is ALL or any(len(code) < COMMUNITY_CODE_LENGTH for code in codes):
        mine = batch.count_later(kept_count_sql("ledger-mine", actor, lambda: {
            "my_households": household_rows(actor=actor, liaison_id=actor.pk)}))
        kept = kept_per_scope("ledger", actor, "ledger.view", lambda: _figures_above_a_community(actor))
        return {**kept, "my_households": mine["my_households"]}
    counts = batch.count_later(kept_count_sql("ledger", actor, lambda: {
        **_figures_of_communities(actor, codes),
        "my_households": household_rows(actor=actor, liaison_id=actor.pk)}))
    return {"counts": counts, "as_of": None, "my_households": counts["my_households"]}


def _figures_of_communities(actor, codes) -> dict:
    """Whole communities: each figure from the tally while it is exact, else counted (core.counts.FirstOf), in
    the page's one count query. A grid's or a building's scope is smaller than a tally row: counted."""
    counted = ledger_count_querysets(actor=actor)
    if any(len(code) != COMMUNITY_CODE_LENGTH for code in codes):
        return counted
    tallied = ledger_tally_values(actor=actor, now=timezone.now())
    return {name: FirstOf(tallied[name], rows) for name, rows in counted.items()}


def _figures_above_a_community(actor) -> dict:
    """The scheduler's tally summed over the scope (residents.tally); counted live if it has not run lately."""
    now = timezone.now()
    return ledger_tally_figures(actor=actor, now=now) or {"counts": ledger_counts(actor=actor), "as_of": now}
