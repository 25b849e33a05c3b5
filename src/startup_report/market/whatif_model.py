"""The market model as the what-if page asks it: one plan's base inputs, its uncertainty and its verdict rule.

The market stage saves, per go-to-market plan, everything its headline numbers came from (``Basis``); the
what-if stage moves a few plan inputs over a grid and asks the same functions the market chapter asks
(``finance.run_plan``, ``montecarlo.draw_inputs``, ``findings.verdict``), formatting the answers with the
summary's own formatters. At the report's own values the answers are computed with the report's own draws,
so they are the summary's numbers to the digit; elsewhere with ``whatif.draws`` per point, the same seed at
every point (common random numbers), so neighbouring points differ by what moved, not by noise.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from startup_report.market import finance, montecarlo
from startup_report.market.config import Uncertain
from startup_report.market.finance import PlanInputs
from startup_report.market.whatif import Control, positions
from startup_report.report import findings


@dataclass(frozen=True)
class Lever:
    """How a plan input is set from the parameters, so a grid position becomes a `-p key=value` for a rerun."""

    label: str
    kind: str  # usd, pct, count, multiple
    param_key: str
    integer: bool = False

    def param_value(self, value: float, basis: Basis) -> str:
        if self.param_key == "market.price_discount":  # the plan's price is the list price less the discount
            return f"{1.0 - value / basis.list_price_usd:.4g}"
        return f"{value:.0f}" if self.integer else f"{value:.6g}"


LEVERS: dict[str, Lever] = {
    "contacts_per_customer_month": Lever("Client size (contacts a month)", "count", "market.monthly_contacts", True),
    "cac_usd": Lever("Acquisition cost per client (USD)", "usd", "market.cac_usd", True),
    "price_per_resolution_usd": Lever("Price per resolution (USD)", "usd_cents", "market.price_discount"),
    "churn_monthly": Lever("Clients lost per month", "pct", "market.churn_monthly"),
    "new_customers_per_month": Lever("New clients a month", "number", "market.new_customers_per_month"),
    "opex_usd_per_month": Lever("Team and overhead (USD a month)", "usd", "market.opex_usd_per_month", True),
    "exit_revenue_multiple": Lever("Exit value (x revenue)", "multiple", "market.exit_revenue_multiple"),
    "fixed_cost_per_customer_usd": Lever(
        "Fixed cost per client (USD a month)", "usd", "market.own_fixed_usd_per_month", True
    ),
}
REQUIRED = ("contacts_per_customer_month", "cac_usd", "price_per_resolution_usd", "churn_monthly")


@dataclass(frozen=True)
class Basis:
    """One plan as the market stage computed it: what its headline numbers came from."""

    segment: str
    label: str
    base: PlanInputs
    uncertainty: dict[str, Uncertain]
    draws: int
    seed: int
    thresholds: findings.Thresholds
    runway_alarm_months: int
    list_price_usd: float
    keys: dict[str, str] = dataclasses.field(default_factory=dict)  # plan input -> its parameter, where not LEVERS'


def basis(
    config,
    base: PlanInputs,
    seed: int,
    list_price_usd: float,
    segment: str = "plan",
    label: str = "",
    ranges: Mapping[str, Uncertain] | None = None,
) -> Basis:
    """The market stage's plan as the what-if page needs it (``config``: the market parameters; ``ranges``: those
    the chapter drew from, else the parameters' spreads centred on ``base``)."""
    thresholds = findings.Thresholds(
        config.gold_mine_probability, config.bubble_probability, config.max_failure_probability
    )
    ranges = dict(ranges) if ranges is not None else montecarlo.centred(base, config.uncertainty)
    return Basis(segment, label or segment, base, ranges, config.draws, seed, thresholds, config.runway_alarm_months,
                 float(list_price_usd))  # fmt: skip


#: Plan inputs a segment may set for itself (plan input -> the segment's field); a control moving one of them sets
#: the segment's own parameter where the segment sets it, the market section's where it inherits it.
SEGMENT_FIELDS = {
    "contacts_per_customer_month": "monthly_contacts",
    "cac_usd": "cac_usd",
    "churn_monthly": "churn_monthly",
}


def bases(segment_plans: Mapping, segment_table, seed: int, list_price_usd: float) -> list[Basis]:
    """Each go-to-market segment's plan as the market chapter computes it (``segments.plans``), the one the report
    prices (the recommended segment) first; ``list_price_usd``: the market price before our discount."""
    recommended = set(segment_table.loc[segment_table["recommended"], "segment"]) if len(segment_table) else set()
    out = []
    for name in sorted(segment_plans, key=lambda n: n not in recommended):
        sp = segment_plans[name]
        set_here = {k for k, v in sp.config.gtm[name].model_dump().items() if v is not None}
        keys = {field: f"market.gtm.{name}.{param}" for field, param in SEGMENT_FIELDS.items() if param in set_here}
        label = f"{name} (recommended)" if name in recommended else name
        b = basis(sp.config, sp.base, seed, list_price_usd * (1.0 - sp.config.revenue_share), name, label, sp.ranges)
        out.append(dataclasses.replace(b, keys=keys))
    return out


def save(path: Path, bases: Sequence[Basis]) -> None:
    """Write the plans as JSON (the market stage's ``whatif_basis.json``)."""
    rows = []
    for b in bases:
        base = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(b.base).items()}
        rows.append(
            {
                "segment": b.segment,
                "label": b.label,
                "base": base,
                "uncertainty": {k: u.model_dump() for k, u in b.uncertainty.items()},
                "draws": b.draws,
                "seed": b.seed,
                "thresholds": dataclasses.asdict(b.thresholds),
                "runway_alarm_months": b.runway_alarm_months,
                "list_price_usd": b.list_price_usd,
                "keys": b.keys,
            }
        )
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


def load(path: Path) -> list[Basis]:
    tuples = {f.name for f in dataclasses.fields(PlanInputs) if "tuple" in str(f.type)}
    out = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        base = {k: (tuple(v) if k in tuples else v) for k, v in row["base"].items()}
        out.append(
            Basis(
                segment=row["segment"],
                label=row["label"],
                base=PlanInputs(**base),
                uncertainty={k: Uncertain(**u) for k, u in row["uncertainty"].items()},
                draws=row["draws"],
                seed=row["seed"],
                thresholds=findings.Thresholds(**row["thresholds"]),
                runway_alarm_months=row["runway_alarm_months"],
                list_price_usd=row["list_price_usd"],
                keys=row.get("keys", {}),
            )
        )
    return out


def shown(kind: str, value: float) -> str:
    """A control's position as the reader sees it."""
    if kind == "usd":
        return f"${value:,.0f}"
    if kind == "usd_cents":
        return f"${value:.2f}"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "multiple":
        return f"{value:g}x"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:.2f}"


def controls(basis: Basis, ranked: Sequence[str], count: int, resolution: int) -> list[Control]:
    """The inputs the reader moves: the four every reader asks about (client size, CAC, price, churn), then the
    tornado's next highest that a parameter sets, ``count`` in all, in the tornado's order; each on a grid
    spanning its uncertainty range with the report's own value on it."""
    settable = [name for name in ranked if name in LEVERS and name in basis.uncertainty]
    chosen = [n for n in REQUIRED if n in settable]
    chosen += [n for n in settable if n not in chosen][: max(0, count - len(chosen))]
    chosen.sort(key=settable.index)
    out = []
    for name in chosen:
        lever, spec = LEVERS[name], basis.uncertainty[name]
        default = float(np.asarray(getattr(basis.base, name)))
        high = min(spec.high, basis.list_price_usd) if lever.param_key == "market.price_discount" else spec.high
        values, at = positions(spec.low, high, default, resolution, lever.integer)
        out.append(
            Control(
                name=name,
                label=lever.label,
                unit=lever.kind,
                values=tuple(values),
                default_index=at,
                param_key=basis.keys.get(name, lever.param_key),
                param_values=tuple(lever.param_value(v, basis) for v in values),
                shown=tuple(shown(lever.kind, v) for v in values),
            )
        )
    return out


def _stack(points: Sequence[PlanInputs], rows: int) -> PlanInputs:
    """Plans of ``rows`` rows each (draws) as one plan of all their rows, for one vectorized run."""
    changes = {}
    for name in PlanInputs.field_names():
        values = [np.asarray(getattr(p, name), dtype=float) for p in points]
        if name != "cac_usd" and all(v.ndim == 0 and v == values[0] for v in values):
            continue  # the same scalar everywhere: left as it is (one input always stacked, to give the rows)
        changes[name] = np.concatenate([np.broadcast_to(v.reshape(-1, 1), (rows, 1)) for v in values], axis=0)
    return points[0].with_values(**changes)


def payback_months(p: PlanInputs) -> np.ndarray:
    """Months of one client's margin that pay back its acquisition cost; infinite when the margin is not positive."""
    contacts = np.asarray(p.contacts_per_customer_month, dtype=float)
    margin = (
        finance.revenue_per_customer(p, contacts, np.asarray)
        - contacts * np.asarray(p.serving_usd_per_contact)
        - np.asarray(p.fixed_cost_per_customer_usd)
    )
    cac = np.asarray(p.cac_usd, dtype=float)
    return np.where(margin > 0, cac / np.where(margin > 0, margin, 1.0), np.inf)


def runway_text(months: float, plan_months: int) -> str:
    return "beyond the plan" if months > plan_months else f"month {months:.0f}"


def payback_text(months: float) -> str:
    return "never (no margin per client)" if not np.isfinite(months) else f"{months:.0f} months"


def answers(basis: Basis, point: PlanInputs, base_case: finance.PlanResult, odds: Mapping[str, float], i: int) -> dict:
    """The page's answers at one point, worded and formatted as the summary words and formats them."""
    p_no, p_with, p_fail = (float(odds[k]) for k in ("p_npv_positive_no_exit", "p_npv_positive", "p_fail"))
    return {
        "npv": findings.money(float(base_case.npv_usd[i])),
        "npv-no-exit": findings.money(float(base_case.npv_no_exit_usd[i])),
        "funding": findings.money(float(base_case.funding_need_usd[i])),
        "runway": runway_text(float(base_case.runway_months[i]), basis.base.months),
        "payback": payback_text(float(payback_months(point))),
        "p-npv": f"{p_with:.0%}",
        "p-npv-no-exit": f"{p_no:.0%}",
        "verdict": findings.verdict(p_no, p_with, p_fail, basis.thresholds),
        "p_no_exit_value": p_no,
    }


def centred_draws(basis: Basis, point: PlanInputs, drawn: PlanInputs) -> PlanInputs:
    """The plan's draws moved to ``point``: each input set away from its base value keeps its uncertainty centred
    on the new value (the same draws scaled by new / base: a triangular or uniform draw scales with its range, as
    the market model's spreads do), every other input the same draws, so two points differ by what moved."""
    changes = {}
    for name in PlanInputs.field_names():
        new, old = np.asarray(getattr(point, name), dtype=float), np.asarray(getattr(basis.base, name), dtype=float)
        if new.shape != () or old.shape != () or new == old:
            continue
        changes[name] = np.asarray(getattr(drawn, name), dtype=float) * (new / old) if old != 0 else new
    return drawn.with_values(**changes)


def evaluate(basis: Basis, changes: Mapping[str, np.ndarray], draws: int) -> dict[str, list]:
    """The answers at each point of a chunk: the base case by ``run_plan``, the odds over ``draws`` draws seeded
    alike at every point (``centred_draws``); all points of the chunk in two vectorized runs."""
    n = len(next(iter(changes.values())))
    points = [basis.base.with_values(**{k: float(v[i]) for k, v in changes.items()}) for i in range(n)]
    base_case = finance.run_plan(_stack(points, 1))
    plan_draws = montecarlo.draw_inputs(basis.base, basis.uncertainty, draws, seed=basis.seed)
    drawn = [centred_draws(basis, p, plan_draws) for p in points]
    odds = _odds(finance.run_plan(_stack(drawn, draws)), n, draws)
    out: dict[str, list] = {}
    for i in range(n):
        for k, v in answers(basis, points[i], base_case, {k: v[i] for k, v in odds.items()}, i).items():
            out.setdefault(k, []).append(v)
    return out


def at_report_values(basis: Basis) -> dict:
    """The answers at the report's own values, from the report's own Monte Carlo (its draws and seed)."""
    result = montecarlo.simulate(basis.base, basis.uncertainty, basis.draws, basis.seed)
    odds = montecarlo.summary(result, basis.runway_alarm_months)
    return answers(basis, basis.base, finance.run_plan(basis.base), odds, 0)


def _odds(result: finance.PlanResult, points: int, draws: int) -> dict[str, np.ndarray]:
    def per_point(values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=float).reshape(points, draws)

    return {
        "p_npv_positive": (per_point(result.npv_usd) > 0).mean(axis=1),
        "p_npv_positive_no_exit": (per_point(result.npv_no_exit_usd) > 0).mean(axis=1),
        "p_fail": per_point(result.failed).mean(axis=1),
    }
