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
from startup_report.site.whatif_widget import Output, payload

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
class Frontier:
    """Where a plan's P(NPV > 0 without the exit) is one half: ``value`` of the input ``name``, the others as set."""

    name: str
    value: float


@dataclass(frozen=True)
class Page:
    data: dict[str, Any]  # the widget's data (also written as whatif.json)
    points: int
    seconds: float
    frontier: dict[str, Frontier | None]  # per plan


def break_even(basis: whatif_model.Basis, name: str, draws: int, target: float = 0.5) -> float | None:
    """The value of ``name`` at which P(NPV > 0 without the exit) is ``target``, the plan's other values as they
    are: by bisection on the model between the input's lowest value (zero for a cost) and the top of its range.
    None when that span does not cross it."""
    spec = basis.uncertainty[name]

    def p(value: float) -> float:
        return whatif_model.evaluate(basis, {name: np.array([value])}, draws)["p_no_exit_value"][0]

    lo, hi = (0.0 if name == Y else float(spec.low)), float(spec.high)
    p_lo, p_hi = p(lo), p(hi)
    if (p_lo - target) * (p_hi - target) > 0:
        return None
    for _ in range(20):
        mid = (lo + hi) / 2
        if (p(mid) - target) * (p_lo - target) > 0:
            lo = mid
        else:
            hi = mid
    return round((lo + hi) / 2, -2)


def frontier(basis: whatif_model.Basis, draws: int) -> Frontier | None:
    """The break-even point on the chart's axes: the CAC at the plan's client size, else the client size at its
    CAC; None when neither crosses one half inside its range."""
    for name in (Y, X):
        if (value := break_even(basis, name, draws)) is not None:
            return Frontier(name, value)
    return None


def _with_frontier(controls: list[whatif.Control], basis: whatif_model.Basis, point: Frontier | None) -> list:
    """The frontier's input with the break-even value as one more position, so a reader can stand on it."""
    if point is None:
        return controls
    out = []
    for c in controls:
        if c.name == point.name and point.value not in c.values:
            values = sorted([*c.values, point.value])
            lever = whatif_model.LEVERS[c.name]
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
    segments, values, chart_p, frontiers, total = [], {}, {}, {}, 0
    for basis in bases:
        controls = whatif_model.controls(basis, ranked, params.controls, params.resolution)
        frontiers[basis.segment] = point = frontier(basis, params.draws)
        controls = _with_frontier(controls, basis, point)
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
    data.update(draws=params.draws, report_draws=bases[default].draws, resolution=params.resolution,
                frontier={k: v and {"name": v.name, "value": v.value} for k, v in frontiers.items()})
    return Page(data, total, time.perf_counter() - start, frontiers)


def frontier_sentence(bases: Sequence[whatif_model.Basis], frontier: dict[str, Frontier | None]) -> str:
    """Where each plan's break-even point lies, worded from the numbers (one sentence per plan)."""
    parts = []
    for b in bases:
        point, name = frontier.get(b.segment), (b.label if len(bases) > 1 else "the plan")
        size, cac = float(np.asarray(getattr(b.base, X))), float(np.asarray(b.base.cac_usd))
        if point is None:
            parts.append(
                f"For {name}, neither an acquisition cost from zero up nor a client size within its range brings "
                "P(NPV > 0 without the exit) to one half: its other values decide it."
            )
        elif point.name == Y:
            side = "below" if cac < point.value else "above"
            parts.append(
                f"For {name}, at {size:,.0f} contacts a month, P(NPV > 0 without the exit) is one half at a CAC of "
                f"${point.value:,.0f}; its own ${cac:,.0f} lies {side} that frontier."
            )
        else:
            side = "above" if size > point.value else "below"
            parts.append(
                f"For {name}, at its CAC of ${cac:,.0f}, P(NPV > 0 without the exit) is one half at a client of "
                f"{point.value:,.0f} contacts a month; its own {size:,.0f} lies {side} that frontier."
            )
    return " ".join(parts) + " Set the control to the frontier's position to stand on it."
