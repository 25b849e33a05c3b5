"""The what-if chapter's computation: each plan's grid of answers, the break-even point on it, and the page's data.

The controls come from the tornado's ranking (``sensitivity.csv``); every answer comes from
``startup_report.market.whatif_model``, so the page shows only what the market model says.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from startup_report.market import whatif, whatif_model
from startup_report.market.whatif_config import WhatIfParams
from startup_report.report.whatif_widget import Output, payload

OUTPUTS = [
    Output("npv", "NPV with the exit (base case)"),
    Output("npv-no-exit", "NPV without the exit (base case)"),
    Output("funding", "Funding need (base case)"),
    Output("runway", "Cash runs out (base case)"),
    Output("payback", "Acquisition cost paid back in"),
    Output("p-npv", "P(NPV > 0) with the exit"),
    Output("p-npv-no-exit", "P(NPV > 0) without the exit"),
    Output("verdict", "Verdict"),
]
X, Y = "contacts_per_customer_month", "cac_usd"  # the chart's axes: the two inputs a founder picks a segment by


@dataclass(frozen=True)
class Page:
    data: dict[str, Any]  # the widget's data (also written as whatif.json)
    points: int
    seconds: float
    frontier: dict[str, float | None]  # per segment: the CAC where P(NPV > 0 without exit) is one half


def break_even_cac(basis: whatif_model.Basis, draws: int, target: float = 0.5) -> float | None:
    """The acquisition cost at which P(NPV > 0 without the exit) is ``target``, the plan's other values as they
    are; by bisection on the model over the CAC's uncertainty range. None when the range does not cross it."""
    spec = basis.uncertainty[Y]

    def p(cac: float) -> float:
        return whatif_model.evaluate(basis, {Y: np.array([cac])}, draws)["p_no_exit_value"][0]

    lo, hi = 0.0, float(spec.high)
    if p(lo) < target or p(hi) > target:  # P falls as CAC rises: no crossing inside the range
        return None
    for _ in range(20):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if p(mid) >= target else (lo, mid)
    return round((lo + hi) / 2, -2)


def _with_frontier(controls: list[whatif.Control], basis: whatif_model.Basis, cac: float | None) -> list:
    """The CAC control with the break-even value as one more position, so a reader can stand on the frontier."""
    if cac is None:
        return controls
    out = []
    for c in controls:
        if c.name == Y and cac not in c.values:
            values = sorted([*c.values, cac])
            lever = whatif_model.LEVERS[Y]
            c = whatif.Control(
                name=c.name,
                label=c.label,
                unit=c.unit,
                values=tuple(values),
                default_index=values.index(c.default),
                param_key=c.param_key,
                param_values=tuple(lever.param_value(v, basis) for v in values),
                shown=tuple(whatif_model.shown(lever.kind, v) for v in values),
            )
        out.append(c)
    return out


def build(
    bases: Sequence[whatif_model.Basis], ranked: Sequence[str], params: WhatIfParams, reported: str,
    segment_param: str | None = None,
) -> Page:  # fmt: skip
    """Every plan's grid, evaluated by the market model, with the report's own point from the report's own draws."""
    start = time.perf_counter()
    segments, values, chart_p, frontier, total = [], {}, {}, {}, 0
    for basis in bases:
        controls = whatif_model.controls(basis, ranked, params.controls, params.resolution)
        frontier[basis.segment] = break_even_cac(basis, params.draws)
        controls = _with_frontier(controls, basis, frontier[basis.segment])
        grid = whatif.evaluate_grid(lambda _, changes, b=basis: whatif_model.evaluate(b, changes, params.draws),
                                    [basis.segment], controls)[basis.segment]  # fmt: skip
        own = whatif.flat_index(controls, [c.default_index for c in controls])
        for name, value in whatif_model.at_report_values(basis).items():
            grid[name][own] = value
        chart_p[basis.segment] = [round(v, 4) for v in grid.pop("p_no_exit_value")]
        values[basis.segment] = grid
        segments.append((basis.segment, basis.label, controls))
        total += len(grid["npv"])
        if total > params.max_points:
            raise ValueError(f"whatif: the grid passed whatif.max_points ({params.max_points:,}); lower its resolution")
    names = [c.name for c in segments[0][2]]
    chart = {"x": names.index(X), "y": names.index(Y), "p": chart_p, "threshold": 0.5,
             "label": "P(NPV > 0) without the exit"} if X in names and Y in names else None  # fmt: skip
    default = [b.segment for b in bases].index(reported)
    data = payload("whatif", segments, default, OUTPUTS, values, chart, segment_param)
    data.update(draws=params.draws, report_draws=bases[default].draws, resolution=params.resolution, frontier=frontier)
    return Page(data, total, time.perf_counter() - start, frontier)


def frontier_sentence(bases: Sequence[whatif_model.Basis], frontier: dict[str, float | None]) -> str:
    """Where each plan's break-even CAC lies, worded from the numbers (one sentence per plan)."""
    parts = []
    for b in bases:
        size = float(np.asarray(getattr(b.base, X)))
        cac, own = frontier.get(b.segment), float(np.asarray(b.base.cac_usd))
        name = f"the {b.label} plan" if len(bases) > 1 else "the plan"
        if cac is None:
            parts.append(
                f"At {size:,.0f} contacts a month no acquisition cost in the CAC's range makes P(NPV > 0 without the "
                f"exit) reach one half for {name}: its other values decide it, not what a client costs to win."
            )
        else:
            side = "below" if own < cac else "above"
            parts.append(
                f"At {size:,.0f} contacts a month, P(NPV > 0 without the exit) is one half at a CAC of ${cac:,.0f} "
                f"for {name}; its own CAC of ${own:,.0f} lies {side} that frontier (set the CAC control to "
                f"${cac:,.0f} to stand on it)."
            )
    return " ".join(parts)
