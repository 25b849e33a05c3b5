"""What must be true: where the report's plan reaches even odds of paying for itself without an exit.

For client sizes across and beyond the segment's range, the acquisition cost (CAC) at which P(NPV > 0 without the
exit) is one half, the plan's other inputs as they are; and, at the assumed CAC, the client size at which it is.
Every probability comes from the market model itself, as the what-if page asks it (``whatif_model.evaluate``):
at each point the uncertainty of client size and CAC is the plan's, centred on the point, and every other input
keeps the same draws at every point, so the frontier moves with the inputs, not with noise. The odds fall as
CAC rises, so the break-even CAC at a size is where the grid's odds cross one half, interpolated linearly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.market.whatif_model import Basis, evaluate

SIZE, CAC = "contacts_per_customer_month", "cac_usd"


@dataclass(frozen=True)
class Frontier:
    """The break-even CAC per client size, and the plan's conditions in numbers."""

    table: pd.DataFrame  # per client size: the break-even CAC (NaN: none even at zero; inf: above the grid)
    size: float  # the plan's client size (contacts a month)
    cac_usd: float  # the plan's CAC
    cac_at_size: float  # break-even CAC at the plan's client size (NaN: none even at zero CAC; inf: above the grid)
    size_at_cac: float  # smallest client size at which the assumed CAC breaks even (NaN: none up to four times)
    target: float


def last_above(xs: np.ndarray, ps: np.ndarray, target: float) -> float:
    """Odds that fall along ``xs``: the x at which they first drop below ``target``, interpolated; NaN when they
    start below it, infinity when they never drop below it."""
    if ps[0] < target:
        return float("nan")
    below = np.flatnonzero(ps < target)
    if not len(below):
        return float("inf")
    i = int(below[0])
    return float(np.interp(target, [ps[i], ps[i - 1]], [xs[i], xs[i - 1]]))


def first_above(xs: np.ndarray, ps: np.ndarray, target: float) -> float:
    """Odds that rise along ``xs``: the x at which they first reach ``target``, interpolated; NaN when they never
    do, the first x when they start there."""
    above = np.flatnonzero(ps >= target)
    if not len(above):
        return float("nan")
    i = int(above[0])
    return float(xs[0]) if i == 0 else float(np.interp(target, [ps[i - 1], ps[i]], [xs[i - 1], xs[i]]))


def odds(basis: Basis, sizes: np.ndarray, cacs: np.ndarray, draws: int) -> np.ndarray:
    """P(NPV > 0 without the exit) at each (client size, CAC) pair, over ``draws`` draws centred on the pair."""
    return np.asarray(evaluate(basis, {SIZE: np.asarray(sizes), CAC: np.asarray(cacs)}, draws)["p_no_exit_value"])


def cac_frontier(basis: Basis, draws: int, sizes: int = 9, cacs: int = 13, target: float = 0.5) -> Frontier:
    """The break-even CAC at ``sizes`` client sizes from a quarter to four times the plan's (log-spaced), each
    found on a grid of ``cacs`` CAC values from zero to three times the plan's; and the break-even client size at
    the plan's CAC, on a finer grid of sizes."""
    size0, cac0 = float(np.asarray(getattr(basis.base, SIZE))), float(np.asarray(getattr(basis.base, CAC)))
    size_grid = np.unique(np.append(np.round(np.geomspace(size0 / 4, size0 * 4, sizes), -2), size0))
    cac_grid = np.linspace(0.0, 3.0 * cac0, cacs)
    s, c = np.meshgrid(size_grid, cac_grid, indexing="ij")
    p = odds(basis, s.ravel(), c.ravel(), draws).reshape(s.shape)
    breakeven = np.array([last_above(cac_grid, row, target) for row in p])
    fine = np.geomspace(size0 / 4, size0 * 4, 2 * sizes)
    at_cac = odds(basis, fine, np.full(fine.shape, cac0), draws)
    table = pd.DataFrame(
        {
            "contacts a month": size_grid,
            "break-even CAC (USD)": breakeven,
            "P(NPV > 0) without exit at the assumed CAC": [float(np.interp(cac0, cac_grid, row)) for row in p],
        }
    )
    table.attrs["cac_top_usd"] = float(cac_grid[-1])
    here = int(np.flatnonzero(size_grid == size0)[0])
    return Frontier(
        table=table,
        size=size0,
        cac_usd=cac0,
        cac_at_size=float(breakeven[here]),
        size_at_cac=first_above(fine, at_cac, target),
        target=target,
    )


def usd(value: float) -> str:
    """A CAC for prose: $250,000."""
    return f"${value:,.0f}"


def conditions(f: Frontier, segment: str) -> str:
    """The one or two conditions the business needs, in words, from the frontier's numbers: the CAC it can afford
    at its client size, or the client size it needs at its CAC (each with the other input as assumed)."""
    size = f"{f.size:,.0f} contacts a month"
    if np.isnan(f.cac_at_size):
        cac = f"no acquisition cost, not even zero, is low enough at its {size}"
    elif np.isinf(f.cac_at_size):
        cac = f"any acquisition cost up to {usd(f.table.attrs['cac_top_usd'])} will do at its {size}"
    else:
        verb = "holds" if f.cac_usd <= f.cac_at_size else "does not hold"
        cac = (
            f"winning a client must cost at most {usd(round(f.cac_at_size, -3))} at its {size} "
            f"(assumed: {usd(f.cac_usd)}, so this {verb})"
        )
    if np.isnan(f.size_at_cac):
        size_text = f"at the assumed CAC no client size up to {4 * f.size:,.0f} contacts a month is enough"
    else:
        size_text = (
            f"at the assumed CAC a client must bring at least {round(f.size_at_cac, -3):,.0f} contacts a month "
            f"(assumed: {f.size:,.0f})"
        )
    return (
        f"For the plan ({segment}) to pay for itself without an exit in at least {f.target:.0%} of the draws, "
        f"{cac}; or, {size_text}."
    )


def reader_table(f: Frontier) -> pd.DataFrame:
    """The frontier as a reader sees it: the break-even CAC in words where there is none or it is off the grid."""
    top = f.table.attrs["cac_top_usd"]

    def said(value: float) -> str:
        if np.isnan(value):
            return "none, even at $0"
        return f"above {usd(top)}" if np.isinf(value) else usd(round(value, -3))

    return f.table.assign(**{"break-even CAC (USD)": f.table["break-even CAC (USD)"].map(said)})
