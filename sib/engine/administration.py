"""What the contract costs the municipality besides what it pays the provider.

An outcome contract needs work a traditional one does not: designing and procuring it,
checking every outcome claim against registers, following the contract up, and evaluating it
(Denver's evaluation cost about a tenth of what its investors put in). Three kinds of row, all
commissioner → external, in their own categories (``contract.commissioner_costs``):

- ``commissioner_set_up``: once, on the contract's first day;
- ``contract_management``: the yearly cost, at each month end for the month's days from the
  start to the end of the outcome window, indexed each 1 January with wages (it is staff time);
- ``final_evaluation``: once, on the invoice day that settles the cohort's outcomes (the
  report needs the final figures).

They count in the municipality's whole cost and its budget years, never in the contract's
value: the provider does not see them, and pricing does not scale them.
"""

from __future__ import annotations

import numpy as np

from sib.engine.compiled import Compiled
from sib.engine.costs import index_factor, months_until
from sib.engine.ledger import CATEGORY, COMMISSIONER, END_OF_DAY, EXTERNAL, START_OF_DAY, Flows, round_ore, round_ore_array


def commissioner_costs(k: Compiled, flows: Flows) -> None:
    """Add the municipality's own costs of the contract to ``flows``."""
    cc = k.scenario.contract.commissioner_costs
    if cc.set_up:
        flows.add(0, START_OF_DAY, COMMISSIONER, EXTERNAL, CATEGORY["commissioner_set_up"], round_ore(cc.set_up))
    if cc.per_year:
        months = months_until(k, k.window_end)
        first, nxt = k.month_start[months], k.month_start[months + 1]
        days = np.minimum(nxt, k.window_end) - np.maximum(first, 0)
        last = np.minimum(nxt, k.window_end) - 1
        index = index_factor(k, k.scenario.provider.costs.indexation.wages, last)
        # The year's cost spread over its months, each month's share pro rata by its days.
        amount = round_ore_array(cc.per_year * 100 / 12 * days / (nxt - first) * index)
        flows.add(last, END_OF_DAY, COMMISSIONER, EXTERNAL, CATEGORY["contract_management"], amount, accrued=last)
    if cc.final_evaluation:
        day = k.settle_invoice_day
        flows.add(day, END_OF_DAY, COMMISSIONER, EXTERNAL, CATEGORY["final_evaluation"], round_ore(cc.final_evaluation), accrued=day)
