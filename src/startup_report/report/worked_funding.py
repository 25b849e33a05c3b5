"""The venture maths of one funding round, worked step by step for the math chapter (tests/test_worked.py).

Kept beside `worked` (the ML formulas) so that each module stays one screen per concern.
"""

from __future__ import annotations

from typing import NamedTuple


class FundingSteps(NamedTuple):
    dilution: float  # d = F / (V + F): the share new investors take
    post_money: float  # V + F
    company_after: float  # C + F + A: cash on hand, the raised cash and the value of everything that follows
    owners_keep: float  # (1 - d)(C + F + A)
    investors_get: float  # d (C + F + A)
    transfer: float  # d (C + F + A) - F: what the round hands the new investors beyond their cash
    cash_left_out: float  # (1 - d)(C + A): the value if the raised cash is forgotten (counting the funding twice)


def funding_round(raised: float, pre_money: float, value_after: float, cash_before: float = 0.0) -> FundingSteps:
    """A round of F at pre-money V in a company holding cash C whose future (flows and exit) is worth A today.

    New investors take d = F / (V + F) of a company that holds the cash they paid in, so today's owners keep
    (1 - d)(C + F + A). Leaving F out, (1 - d)(C + A), charges the owners for the losses twice: once through the
    flows the cash pays for and again through the dilution.
    """
    d = raised / (pre_money + raised)
    company = cash_before + raised + value_after
    return FundingSteps(
        d,
        pre_money + raised,
        company,
        (1 - d) * company,
        d * company,
        d * company - raised,
        (1 - d) * (cash_before + value_after),
    )
