"""The market stage's strategy numbers: competitors, the data moat, go-to-market options, pricing options, the
team and the benchmark checks, all from the same cost model and plan as the market chapter (notebook 05 calls
``strategy_tables`` once; the strategy chapter reads the tables)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from startup_report.market import finance, product, segments, strategy
from startup_report.market.analysis import Inputs, revenue_per_contact
from startup_report.market.routes import per_contact


def competitors(inp: Inputs, ours: product.Shares, price_usd: float) -> pd.DataFrame:
    """The competitor table with our cost per resolution (cost to serve one client / its resolutions)."""
    v = inp.config.monthly_contacts
    cost = inp.config.own_fixed_usd_per_month + v * per_contact(inp, inp.measured.serving_cost_per_million_usd / 1e6)
    own_cost = cost / (v * ours.resolved) if ours.resolved > 0 else float("nan")
    return strategy.competitor_table(inp.facts["competitors"], own_cost, price_usd)


def moat(inp: Inputs, ours: product.Shares, price_usd: float, customers: float) -> pd.DataFrame:
    """What more labelled examples per intent are worth, from our measured learning curve (or a published one)."""
    c = inp.config
    if c.learning_curve_source == "measured" and inp.results is not None:
        n_intents = inp.predictions["label"].nunique()
        a, b, examples_now = strategy.measured_learning_curve(inp.results, c.measured_curve_model, n_intents)
        where = f"our measured learning curve ({c.measured_curve_model}, mean test accuracy per label budget)"
    else:
        a, b = strategy.learning_curve(inp.facts["banking77_results"], c.learning_curve_model)
        examples_now = c.examples_per_intent
        where = f"the published BANKING77 learning curve of {c.learning_curve_model}"
    curve = f"{where}: accuracy = {a:.3f} + {b:.3f} ln(examples per intent)"
    mix = product.class_mix(inp.predictions["label"], inp.classes, c.default_intent_class)
    table = strategy.data_moat(
        a,
        b,
        examples_now,
        ours.resolved,
        inp.config.monthly_contacts,
        price_usd * ours.resolved_precision,
        customers,
        len(inp.classes),
        inp.config.label_cost_usd,
        float(mix["template"]),
    )
    table.attrs["curve"] = curve
    return table


def gtm_first(inp: Inputs, per_contact: float, serving: float) -> pd.DataFrame:
    """Each segment's CAC payback, the segment the report's plan sells to first (then by payback): the go-to-market
    advice follows the rule that picked the plan, never a second rule of its own."""
    c = inp.config
    resolved = {name: segments.resolve(c, name) for name in c.gtm}
    table = strategy.gtm_table(resolved, per_contact, serving, c.own_fixed_usd_per_month, inp.facts["benchmarks"])
    table.insert(1, "the plan's segment", table["option"] == inp.segment)
    first = table.sort_values("the plan's segment", ascending=False, kind="stable").reset_index(drop=True)
    first.attrs = table.attrs
    return first


@dataclass(frozen=True)
class Strategy:
    competitors: pd.DataFrame
    moat: pd.DataFrame
    gtm: pd.DataFrame
    pricing: pd.DataFrame
    team: pd.DataFrame
    checks: pd.DataFrame


def strategy_tables(
    inp: Inputs,
    ours: product.Shares,
    price_usd: float,
    seat_usd: float,
    base: finance.PlanInputs,
    result: finance.PlanResult,
    yearly_table: pd.DataFrame,
) -> Strategy:
    """The strategy chapter's tables, all from the same cost model and plan as the market chapter."""
    c = inp.config
    serving = c.messages_per_conversation * inp.measured.serving_cost_per_million_usd / 1e6
    per_contact = revenue_per_contact(inp, ours, price_usd, seat_usd)
    margin = strategy.client_margin(c.monthly_contacts, per_contact, serving, c.own_fixed_usd_per_month)
    payback = c.cac_usd / margin if margin > 0 else float("inf")
    customers_year_one = float(result.table()["customers"].iloc[min(11, c.months - 1)])
    return Strategy(
        competitors=competitors(inp, ours, price_usd),
        moat=moat(inp, ours, price_usd, customers_year_one),
        gtm=gtm_first(inp, per_contact, serving),
        pricing=strategy.pricing_table(base),
        team=strategy.team_table(c.team, c.opex_usd_per_month),
        checks=strategy.benchmark_checks(
            float(yearly_table["gross_margin_pct"].iloc[-1]), c.churn_monthly, payback, inp.facts["benchmarks"]
        ),
    )
