"""Staged funding rounds on a fixed calendar, and the value they leave today's owners.

Why a calendar. Rounds that open "when cash runs out" and are cut to the dilution cap move with the plan: a
better plan shifts a round by a month, changes what each round covers, and because dilution compounds
(two rounds of F sell more than one of 2F at the same pre-money) it could lower the owners' value. Here the
plan is cut into periods of ``runway_target_months`` (months 1-18, 19-36, ... for 18), fixed before the plan
is known. Each period's round raises exactly the new cash the plan needs in that period (the rise of its
running maximum deficit), opening in the first month of the period that needs cash. Four facts then make the
owners' value monotone in the plan (the proof is in docs/market-model-funding-and-segments.md):

1. A plan whose monthly cash flows are all at least as high needs, in every month, at most as much new cash
   (the rise of the running maximum deficit shrinks), so every period's round F is no larger and opens no
   earlier; its stage (the ARR milestone reached by then) and so its pre-money V are no lower.
2. The company's worth, W = starting cash + NPV of the flows + the raised cash valued as it is spent + the
   exit, rises with the plan (Abel summation: it is a positive combination of the funded cash balances).
3. Working back from the last round, a round of F (worth Phi as spent) at pre-money V leaves the holders
   before it ``min(w - Phi, (1 - d) max(w, 0))`` of a company worth w after it, with d = F / (V + F): (1 - d)
   of everything, the cash included, unless the company is worth less than its post-money; then no investor
   overpays and the holders bear the cash (the same floor as before). The map rises with w and V and falls
   with F and Phi.
4. A round fails when it would sell more than ``max_dilution`` or the company has not reached the first stage's
   ARR milestone; a failed round is valued as a round at zero pre-money (d = 1): today's owners keep nothing of
   the company's worth and still bear any cash it needs that its worth cannot cover. A better plan fails no
   more rounds, and a failed round is never worth more than a closed one.

Split from `finance` so each module stays one screen per concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from startup_report.market.finance import PlanInputs

CENT = 0.01  # a period needing less new cash than this raises no round (rounding noise, not a need)


@dataclass(frozen=True)
class Rounds:
    """The rounds of every draw, one column per runway period (month -1: the period needs no cash)."""

    month: np.ndarray  # (draws, periods) 0-based month the round opens, -1 where the period needs no cash
    amount_usd: np.ndarray  # F: the new cash the period needs (sought, where the round fails)
    pre_money_usd: np.ndarray  # V: valuation_scale x the stage's benchmark
    dilution: np.ndarray  # share new investors take, F / (V + F)
    failed: np.ndarray  # past the dilution cap or before the first milestone: today's owners lose the company
    missed: np.ndarray  # the failure is a missed ARR milestone (else, where failed, the dilution cap)
    amount_pv_usd: np.ndarray  # Phi: the raised cash valued as it is spent (the deficits it covers, discounted)
    stage: np.ndarray  # index of the stage in market.rounds whose terms priced it (-1: before the first milestone)
    taken: np.ndarray  # the round is raised: the period needs cash and no earlier round failed

    @property
    def closed(self) -> np.ndarray:
        """Rounds raised on their stage's terms."""
        return self.taken & ~self.failed

    def by_month(self, months: int) -> np.ndarray:
        """Cash raised in the rounds that closed, month by month (draws, months)."""
        raised = np.zeros((self.month.shape[0], months))
        rows, periods = np.nonzero(self.closed)
        np.add.at(raised, (rows, self.month[rows, periods]), self.amount_usd[rows, periods])
        return raised


def new_need(cash: np.ndarray) -> np.ndarray:
    """New cash the plan needs each month: the rise of its running maximum deficit (never negative).

    Month t needs max(0, D_t - max(0, D_1..D_{t-1})) with D = -cash: what keeps cash at or above zero when
    every earlier need has been met. Its sum to month t is the cumulative need, the funding need at the end.
    """
    deficit = np.maximum(0.0, np.maximum.accumulate(-cash, axis=1))
    return np.diff(deficit, axis=1, prepend=0.0)


def staged_rounds(cash: np.ndarray, revenue: np.ndarray, p: PlanInputs, col) -> Rounds:
    """One round per runway period that needs cash, sized to the period's need and priced by its stage.

    Periods are ``runway_target_months`` long from month 1. A period's round opens in its first month that
    needs new cash and raises F, all the new cash the period needs (so cash stays at or above zero until the
    next period). Its stage is the highest whose ARR milestone the company has reached by then (12 x the best
    monthly revenue so far); its pre-money is V = ``valuation_scale`` x that stage's benchmark, and new investors
    take d = F / (V + F). It fails when d > ``max_dilution`` or the first milestone is not reached.
    """
    draws, months = cash.shape
    premoneys = np.asarray(p.round_premoney_usd or (0.0,), dtype=float)  # no stages: no investor
    milestones = np.asarray(p.round_milestone_arr_usd or (np.inf,), dtype=float)
    if np.any(np.diff(milestones) < 0) or np.any(np.diff(premoneys) < 0):
        raise ValueError("market.rounds: stages must come in order of ARR milestone and pre-money (both rising)")
    scale, cap = col(p.valuation_scale)[:, 0], col(p.max_dilution)[:, 0]
    window = max(1, int(round(p.runway_target_months)))
    periods = -(-months // window)
    factors = (1.0 + p.discount_rate_annual) ** (-np.arange(1, months + 1) / 12.0)
    need = np.zeros((draws, periods * window))
    need[:, :months] = new_need(cash)
    weights = np.zeros(periods * window)
    weights[:months] = factors
    by_period = need.reshape(draws, periods, window)
    amount = by_period.sum(axis=2)
    needed = amount > CENT
    amount = np.where(needed, amount, 0.0)
    amount_pv = np.where(needed, (by_period * weights.reshape(periods, window)).sum(axis=2), 0.0)
    month = np.where(needed, np.arange(periods) * window + (by_period > 0).argmax(axis=2), -1)
    reached = np.maximum.accumulate(12.0 * revenue, axis=1)
    arr = np.take_along_axis(reached, np.maximum(month, 0), axis=1)
    stage = (arr[..., None] >= milestones).sum(axis=2) - 1
    pre_money = scale[:, None] * premoneys[np.maximum(stage, 0)]
    dilution = np.where(needed, amount / np.maximum(pre_money + amount, 1e-300), 0.0)
    missed = needed & (stage < 0)
    failed = needed & (missed | (dilution > cap[:, None]))
    earlier = np.cumsum(failed, axis=1) - failed
    return Rounds(
        month=month,
        amount_usd=amount,
        pre_money_usd=np.where(needed, pre_money, np.nan),
        dilution=dilution,
        failed=failed,
        missed=missed,
        amount_pv_usd=amount_pv,
        stage=np.where(needed, stage, -1),
        taken=needed & (earlier == 0),
    )


def owners_value(
    flows: np.ndarray, exit_pv: np.ndarray, rounds: Rounds, annual_rate: float, starting_cash: np.ndarray
) -> np.ndarray:
    """Value to today's owners after the rounds: their stake in the company's worth, less the starting cash.

    The company's worth W is the starting cash, the NPV of the flows, every round's cash valued as it is spent
    and the exit: what the holders of every round own together. Working back from the last round, a round of
    F (Phi as spent) at pre-money V, d = F / (V + F), leaves the holders before it
    ``min(w - Phi, (1 - d) max(w, 0))`` of a company worth w after it: (1 - d) of everything after, the cash
    included; or, where the company is worth less than its post-money, w - Phi (no investor knowingly
    overpays: the transfer is floored at zero). A failed round is the same map at V = 0. Without rounds the
    value is the NPV of the flows plus the exit.
    """
    factors = (1.0 + annual_rate) ** (-np.arange(1, flows.shape[1] + 1) / 12.0)
    start = np.asarray(starting_cash, dtype=float).reshape(-1)
    worth = start + (flows * factors).sum(axis=1) + rounds.amount_pv_usd.sum(axis=1) + np.asarray(exit_pv)
    for k in range(rounds.month.shape[1] - 1, -1, -1):
        f = rounds.amount_usd[:, k]
        v = np.where(rounds.failed[:, k] | (f <= 0), 0.0, rounds.pre_money_usd[:, k])
        kept = np.where(f > 0, v / np.maximum(v + f, 1e-300), 1.0)  # 1 - d; a period without a round keeps all
        worth = np.minimum(worth - rounds.amount_pv_usd[:, k], kept * np.maximum(worth, 0.0))
    return worth - start
