"""The ledger's panel on the home page: the figures of the actor's scope, and their own households."""
from minqing.core.counts import request_counts

from .selectors import household_list, ledger_counts


def ledger_panel_context(request) -> dict:
    counts = ledger_counts(actor=request.user, counter=request_counts(request).count_later,
                           also={"my_households": household_list(actor=request.user, liaison_id=request.user.pk)})
    return {"counts": counts, "my_households": counts.pop("my_households")}
