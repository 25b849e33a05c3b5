"""Staged funding rounds and the value they leave today's owners.

A round opens when the plan's cash would go below zero, is sized to a runway target, priced by the stage the
company's ARR has reached (sourced benchmarks) and cut to the dilution cap; today's owners keep (1 - d) of a
company that holds the raised cash. Split from `finance` so each module stays one screen per concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from startup_report.market.finance import PlanInputs


@dataclass(frozen=True)
class Rounds:
    """The staged rounds of every draw, one column per round (month -1: no such round)."""

    month: np.ndarray  # (draws, rounds) 0-based month of the round, -1 where there is none
    amount_usd: np.ndarray  # cash raised (the amount sought where the round failed)
    pre_money_usd: np.ndarray
    dilution: np.ndarray  # share new investors take, F / (V + F)
    failed: np.ndarray  # the round passed the dilution cap or missed its milestone: the company stops
    missed: np.ndarray  # the round's failure is a missed ARR milestone (else, where failed, the dilution cap)
    cash_before_usd: np.ndarray  # cash the company holds when the round opens (new investors get d of it too)
    amount_pv_usd: np.ndarray  # the raised cash valued when it is spent (the deficits it covers, discounted)
    stage: np.ndarray  # index of the stage in market.rounds whose terms priced it (-1: before the first milestone)


def staged_rounds(cash: np.ndarray, revenue: np.ndarray, p: PlanInputs, col) -> Rounds:
    """Rounds that keep cash at or above zero, each sized to the runway target and priced by its stage.

    A round opens in the first month cash (the plan's own cash plus earlier rounds) would go below zero and
    raises F, enough to keep cash >= 0 for ``runway_target_months`` on the plan's own flows, but no more than
    keeps d within ``max_dilution`` (then the next round comes sooner). Its stage is the highest whose ARR
    milestone the company has reached by then (12 x the best monthly revenue so far), and its pre-money is
    V = ``valuation_scale`` x that stage's benchmark, so new investors take d = F / (V + F). The round fails, and
    the company stops, when the company has not reached the first stage's milestone or when even the largest
    round within the cap cannot cover the month's shortfall.
    """
    draws, months = cash.shape
    premoneys = np.asarray(p.round_premoney_usd or (0.0,), dtype=float)  # no stages: no investor
    milestones = np.asarray(p.round_milestone_arr_usd or (np.inf,), dtype=float)
    if np.any(np.diff(milestones) < 0) or np.any(np.diff(premoneys) < 0):
        raise ValueError("market.rounds: stages must come in order of ARR milestone and pre-money (both rising)")
    scale, cap = col(p.valuation_scale)[:, 0], col(p.max_dilution)[:, 0]
    reached = np.maximum.accumulate(12.0 * revenue, axis=1)
    window = max(1, int(round(p.runway_target_months)))
    factors = (1.0 + p.discount_rate_annual) ** (-np.arange(1, months + 1) / 12.0)
    index = np.arange(months)[None, :]
    raised = np.zeros(draws)
    start = np.zeros(draws, dtype=int)  # first month the next round may open
    alive = np.ones(draws, dtype=bool)
    columns: list[tuple[np.ndarray, ...]] = []
    for _ in range(months):  # at most one round a month
        now = cash + raised[:, None]
        short = (now < -1e-6) & (index >= start[:, None]) & alive[:, None]
        opens = short.any(axis=1)
        if not opens.any():
            break
        t = np.where(opens, short.argmax(axis=1), -1)
        inside = (index >= t[:, None]) & (index < t[:, None] + window)
        # The stage is the highest whose ARR milestone the company has reached by the round's month (a round
        # before the first milestone fails); its benchmark sets the pre-money.
        arr = reached[np.arange(draws), np.maximum(t, 0)]
        stage = (arr[:, None] >= milestones[None, :]).sum(axis=1) - 1
        milestone = stage < 0
        pre_money = scale * premoneys[np.maximum(stage, 0)]
        # The most a round can raise without selling more than the cap: F / (V + F) = cap.
        largest = pre_money * cap / (1.0 - cap)
        needed = np.where(opens, -np.where(inside, now, np.inf).min(axis=1), 0.0)
        amount = np.minimum(needed, largest)
        # The round's cash is spent as the deficits come: month by month, the new low of cash in the window.
        lows = np.maximum(0.0, -np.minimum.accumulate(np.where(inside, now, np.inf), axis=1))
        spent = np.diff(np.minimum(lows, amount[:, None]), axis=1, prepend=0.0)
        amount_pv = np.where(opens, (spent * factors).sum(axis=1), 0.0)
        dilution = np.where(opens, amount / np.maximum(pre_money + amount, 1e-9), 0.0)
        first = -now[np.arange(draws), np.maximum(t, 0)]  # the shortfall of the round's own month
        failed = opens & ((largest < first) | milestone)
        before = np.where(t > 0, now[np.arange(draws), np.maximum(t - 1, 0)], col(p.starting_cash_usd)[:, 0] + raised)
        columns.append(
            (
                t,
                amount,
                np.where(opens, pre_money, np.nan),
                dilution,
                failed,
                opens & milestone,
                np.maximum(before, 0),
                amount_pv,
                np.where(opens, stage, -1),
            )
        )
        raised = raised + np.where(opens & ~failed, amount, 0.0)
        alive &= ~failed
        start = np.where(opens, t + 1, start)
    if not columns:
        empty = np.empty((draws, 0))
        return Rounds(
            empty.astype(int), empty, empty, empty, empty.astype(bool), empty.astype(bool), empty, empty, empty
        )
    stack = [np.stack(c, axis=1) for c in zip(*columns, strict=True)]
    return Rounds(
        stack[0].astype(int),
        stack[1],
        stack[2],
        stack[3],
        stack[4].astype(bool),
        stack[5].astype(bool),
        stack[6],
        stack[7],
        stack[8].astype(int),
    )


def owners_value(flows: np.ndarray, exit_pv: np.ndarray, rounds: Rounds, annual_rate: float) -> np.ndarray:
    """Value to today's owners: the flows before the first round, then their share of everything after.

    Working back from the last round: A is the present value of everything from a round's month on (flows,
    the exit, and later rounds already netted). A round of F at pre-money V gives new investors d = F / (V + F)
    of a company that holds F and the cash C it had left, so today's owners keep (1 - d)(C + F + A), that is
    C + A - [d(C + F + A) - F]: the bracket is what the round transfers to the new investors (C is already the
    owners' in the flows counted so far). When V exceeds what the company is worth the bracket is negative; the
    model books no such windfall (the transfer is floored at zero: no investor knowingly overpays). A failed
    round ends the company: the owners keep no later month's profit and no exit, and are still charged every
    later month's loss (the plan's commitments). That is the limit of a round as d -> 1 month by month, so a
    failed round is never worth more than one that closes, on any terms.
    """
    draws, months = flows.shape
    factors = (1.0 + annual_rate) ** (-np.arange(1, months + 1) / 12.0)

    def from_month(values: np.ndarray) -> np.ndarray:
        """Sum of values from each month to the end (one extra column of zeros: from the horizon)."""
        return np.concatenate([np.cumsum(values[:, ::-1], axis=1)[:, ::-1], np.zeros((draws, 1))], axis=1)

    tail = from_month(flows * factors)
    losses = from_month(np.minimum(flows * factors, 0.0))
    rows = np.arange(draws)
    after = np.asarray(exit_pv, dtype=float).copy()  # value of what follows `next_month`, later rounds netted
    next_month = np.full(draws, months)
    for k in range(rounds.month.shape[1] - 1, -1, -1):
        t = rounds.month[:, k]
        active = t >= 0
        tk = np.where(active, t, 0)
        value = tail[rows, tk] - tail[rows, next_month] + after
        raised = rounds.amount_pv_usd[:, k]
        company = rounds.cash_before_usd[:, k] * factors[tk] + value  # the cash on hand belongs to it too
        kept = value - np.maximum(rounds.dilution[:, k] * (company + raised) - raised, 0.0)
        kept = np.where(rounds.failed[:, k], losses[rows, tk], kept)
        after = np.where(active, kept, after)
        next_month = np.where(active, tk, next_month)
    return tail[:, 0] - tail[rows, next_month] + after
