"""The ledger's panel on the home page: the figures of the actor's scope, and their own households.

The figures come from the scheduler's per-community tally (residents/tally.py) where it can answer:
- a community's (~20,000 residents, ~8 ms of database time on every visit if counted) are read from its row
  while no resident or household of the community changed since it was counted (database triggers note every
  change), so they are exact; otherwise, and for a grid's, counted live with the page's other counts (their SQL
  compiled once a minute per user: core.counts.kept_count_sql);
- a street's, a district's or the whole city's (~125,000 residents ~100 ms, 1,000,000 ~360 ms) are summed from
  the rows of its scope even after a change, kept for a few minutes per scope (shared by everyone with that
  scope), and the panel says as of when.
Either way a tally the scheduler has not refreshed lately is not used: the panel counts live."""
from django.utils import timezone

from minqing.accounts.navigation import kept_per_scope
from minqing.accounts.policy import ALL, place_codes
from minqing.core.counts import kept_count_sql, request_counts
from minqing.places.codes import code_length
from minqing.places.models import PlaceKind

from .selectors import household_list, ledger_count_querysets, ledger_counts, ledger_tally_figures

COMMUNITY_CODE_LENGTH = code_length(PlaceKind.COMMUNITY)


def ledger_panel_context(request) -> dict:
    actor = request.user
    batch = request_counts(request)
    codes = place_codes(actor, "ledger.view")
    if codes is ALL or any(len(code) < COMMUNITY_CODE_LENGTH for code in codes):
        kept = kept_per_scope("ledger", actor, "ledger.view", lambda: _figures_above_a_community(actor))
        return {**kept, "my_households": _my_households(batch, actor)}
    if all(len(code) == COMMUNITY_CODE_LENGTH for code in codes) and (
            tallied := ledger_tally_figures(actor=actor, now=timezone.now(), unchanged=True)):
        return {"counts": tallied["counts"], "as_of": None, "my_households": _my_households(batch, actor)}
    counts = batch.count_later(kept_count_sql("ledger", actor, lambda: {
        **ledger_count_querysets(actor=actor), "my_households": household_list(actor=actor, liaison_id=actor.pk)}))
    return {"counts": counts, "as_of": None, "my_households": counts["my_households"]}


def _my_households(batch, actor):
    """The households the actor is liaison of, counted with the page's other counts."""
    return batch.count_later(kept_count_sql("ledger-mine", actor, lambda: {
        "my_households": household_list(actor=actor, liaison_id=actor.pk)}))["my_households"]


def _figures_above_a_community(actor) -> dict:
    """The scheduler's tally summed over the scope (residents.tally); counted live if it has not run lately."""
    now = timezone.now()
    return ledger_tally_figures(actor=actor, now=now) or {"counts": ledger_counts(actor=actor), "as_of": now}
