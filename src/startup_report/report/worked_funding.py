"""The venture maths of the funding rounds, worked step by step for the math chapter (tests/test_worked.py).

Kept beside `worked` (the ML formulas) so that each module stays one screen per concern. The plan's own
computation is `market.funding.owners_value`; these functions spell out the same steps on a few numbers.
"""

from __future__ import annotations

from typing import NamedTuple


class FundingSteps(NamedTuple):
    dilution: float  # d = F / (V + F): the share new investors take
    post_money: float  # V + F
    company_after: float  # C + F + A: cash on hand, the raised cash and the value of everything that follows
    owners_keep: float  # (1 - d)(C + F + A), or C + A where the company is worth less than its post-money
    investors_get: float  # d (C + F + A)
    transfer: float  # d (C + F + A) - F: what the round hands the new investors beyond their cash
    cash_left_out: float  # (1 - d)(C + A): the value if the raised cash is forgotten (counting the funding twice)


def funding_round(raised: float, pre_money: float, value_after: float, cash_before: float = 0.0) -> FundingSteps:
    """A round of F at pre-money V in a company holding cash C whose future (flows and exit) is worth A today.

    New investors take d = F / (V + F) of a company that holds the cash they paid in, so today's owners keep
    (1 - d)(C + F + A). Leaving F out, (1 - d)(C + A), charges the owners for the losses twice: once through the
    flows the cash pays for and again through the dilution. Where the company is worth less than its post-money
    no investor overpays: the owners keep C + A, as if they had paid F themselves.
    """
    d = raised / (pre_money + raised)
    company = cash_before + raised + value_after
    return FundingSteps(
        d,
        pre_money + raised,
        company,
        holders_keep(company, raised, pre_money),
        d * company,
        d * company - raised,
        (1 - d) * (cash_before + value_after),
    )


def holders_keep(worth_after: float, raised: float, pre_money: float, raised_pv: float | None = None) -> float:
    """What the holders before a round keep of a company worth w after it: min(w - Phi, (1 - d) max(w, 0)).

    Phi is the raised cash valued as it is spent (F itself at a 0% rate); a failed round is ``pre_money=0``.
    """
    spent = raised if raised_pv is None else raised_pv
    d = raised / (pre_money + raised) if raised > 0 else 0.0
    return min(worth_after - spent, (1 - d) * max(worth_after, 0.0))


def staged_value(worth: float, rounds: list[tuple[float, float]], starting_cash: float) -> list[float]:
    """Today's owners' value after staged rounds, worked back from the last: the holders' stake before each
    round, first to last, then the owners' value (their stake less the starting cash). ``rounds``: (F, V)."""
    stakes = [worth]
    for raised, pre_money in reversed(rounds):
        stakes.append(holders_keep(stakes[-1], raised, pre_money))
    return stakes[:0:-1] + [stakes[-1] - starting_cash]
