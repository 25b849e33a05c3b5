"""The market stage, step by step: each function is one notebook cell's computation.

Notebook 05 calls these in order and only shows, plots and glues what they return, so every number in
the chapter comes from code with a unit test, and the notebook holds no arithmetic of its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.evaluation import handoff as evaluation_handoff
from startup_report.market import economics, facts, finance, llm, montecarlo, product, strategy
from startup_report.params import MarketParams


@dataclass(frozen=True)
class Inputs:
    """Everything the stage reads: parameters, sourced facts, the evaluation hand-off and the assumption file."""

    config: MarketParams
    facts: dict[str, pd.DataFrame]
    measured: evaluation_handoff.EvaluationMetrics
    predictions: pd.DataFrame
    classes: pd.DataFrame
    results: pd.DataFrame | None = None  # the training stage's results.csv: our measured learning curve
    open_predictions: pd.DataFrame | None = None  # the evaluation's open-world rows (automation_world: open)


def load(
    config: MarketParams, evaluation_dir: str | Path, root: Path = Path("."), training_dir: str | Path | None = None
) -> Inputs:
    """Read the inputs, which the runner's preflight (market/preflight.py) checked before the stage started."""
    folder = Path(evaluation_dir)
    results = pd.read_csv(Path(training_dir) / "results.csv", dtype={"budget": str}) if training_dir else None
    if results is not None and config.learning_curve_source == "measured":
        strategy.check_measured_curve(results, config.measured_curve_model)  # before any figure is drawn
    return Inputs(
        config=config,
        facts=facts.load_facts(root / config.facts_dir),
        measured=evaluation_handoff.read(folder / "metrics.json"),
        predictions=pd.read_parquet(folder / "predictions.parquet", columns=["label", "predicted", "confidence"]),
        classes=product.read_intent_classes(root / config.intent_classes_file),
        results=results,
        open_predictions=pd.read_parquet(folder / "predictions_open.parquet")
        if config.automation_world == "open"
        else None,
    )


def human_costs(inp: Inputs) -> tuple[pd.Series, pd.DataFrame]:
    """The channel-matched human cost per contact, and every sourced figure for that channel plus the mixed one."""
    chosen = economics.human_cost(inp.facts["channel_costs"], inp.config.channel, inp.config.human_cost_channel_key)
    rows = economics.channel_costs(inp.facts["channel_costs"], inp.config.channel)
    mixed = facts.fact(inp.facts, "contact_costs", inp.config.human_cost_key).to_frame().T.assign(channel="live_mixed")
    table = pd.concat([rows, mixed], ignore_index=True)
    table["used"] = table["key"] == chosen["key"]
    return chosen, table[["key", "channel", "value", "year", "publisher", "published", "secondary", "used", "url"]]


def router_shares(inp: Inputs) -> tuple[product.Shares, product.Shares, pd.DataFrame]:
    """What our router and an LLM router do with the test messages, by the intent-class file; ours in the
    world `market.automation_world` names (open: unknown intents mixed in, which the LLM, prompted with the
    known intents and answering every message, gets wrong too)."""
    default = inp.config.default_intent_class
    if inp.open_predictions is not None:
        ours = product.open_world_shares(inp.open_predictions, inp.classes, default)
        product.automated_share_check(ours, inp.measured.open_world.automation_rate)
    else:
        ours = product.measured_shares(inp.predictions, inp.measured.threshold, inp.classes, default)
        product.automated_share_check(ours, inp.measured.automation_rate)
    accuracy = llm.accuracy(inp.facts["banking77_results"], inp.config.llm_accuracy_key)
    if inp.open_predictions is not None:  # prompted with the same known intents, an API misses the unknown ones
        accuracy *= 1.0 - float(inp.open_predictions["open"].mean())
    theirs = product.llm_shares(inp.predictions["label"], inp.classes, default, accuracy)
    table = product.shares_table(ours, theirs, f"ours ({inp.measured.model})", f"LLM API ({inp.config.llm_model})")
    return ours, theirs, table


def llm_prices(inp: Inputs) -> tuple[pd.DataFrame, float]:
    """Current API prices per million routing calls (list, cached, cached + batch) and the chosen model's price."""
    measured = inp.measured
    tokens = llm.tokens(measured.llm_tokens_per_message, measured.llm_output_tokens, measured.llm_prompt_tokens)
    table = llm.price_table(inp.facts["llm_prices"], inp.facts["llm_discounts"])
    priced = llm.priced(table, tokens, inp.config.as_of)
    row = table[table["model"] == inp.config.llm_model].iloc[0]
    usd = llm.usd_per_message(row, tokens, inp.config.llm_prompt_caching, inp.config.llm_batch)
    priced.attrs["tokens"] = tokens
    return priced, usd


@dataclass(frozen=True)
class Routes:  # break_evens also holds llm_accuracy: the LLM accuracy at which its route costs what ours does
    routes: list[finance.Route]
    table: pd.DataFrame
    break_evens: dict[str, float]
    cheapest: finance.Route


def route_comparison(
    inp: Inputs, human_usd: float, ours: product.Shares, theirs: product.Shares, llm_usd: float
) -> Routes:
    """Human agents alone, an LLM router + humans, our router + humans: one cost model for all three."""
    c = inp.config
    transfer = facts.value(inp.facts, "routing", c.transfer_rate_key) / 100.0
    own_machine = inp.measured.serving_cost_per_million_usd / 1e6

    def variable(shares: product.Shares, machine: float) -> float:
        return product.cost_per_contact(shares, machine, human_usd, c.error_cost_usd, transfer, c.transfer_cost_share)

    routes = [
        finance.Route("human agents only", 0.0, human_usd),
        finance.Route(f"LLM API router ({c.llm_model}) + humans", c.llm_fixed_usd_per_month, variable(theirs, llm_usd)),
        finance.Route(
            f"our router ({inp.measured.model}) + humans", c.own_fixed_usd_per_month, variable(ours, own_machine)
        ),
    ]
    v = c.monthly_contacts
    breakeven = product.breakeven_accuracy(
        inp.predictions["label"], inp.classes, c.default_intent_class, routes[2].monthly_cost(v) / v,
        c.llm_fixed_usd_per_month / v, lambda shares: variable(shares, llm_usd),
    )  # fmt: skip
    table = pd.DataFrame(
        [
            {
                "route": r.name,
                "fixed USD/month": r.fixed_usd_per_month,
                "variable USD/contact": r.usd_per_contact,
                "USD per contact at assumed volume": r.monthly_cost(v) / v,
                "monthly cost (USD)": r.monthly_cost(v),
                "saving vs human per contact": human_usd - r.monthly_cost(v) / v,
            }
            for r in routes
        ]
    )
    evens = finance.break_evens(routes) | {"llm_accuracy": breakeven}
    return Routes(routes, table.round(4), evens, finance.cheapest_route(routes, v))


def cost_curves(routes: Routes, volume: float) -> tuple[np.ndarray, dict[str, np.ndarray], tuple[float, float]]:
    """Monthly cost of each route over 100 to 10 million contacts, and our route's point at the assumed volume."""
    volumes = np.logspace(2, 7, 200)
    costs = {r.name: np.asarray(r.monthly_cost(volumes)) for r in routes.routes}
    return volumes, costs, (volume, float(routes.routes[2].monthly_cost(volume)) / volume)


def size_estimates(inp: Inputs) -> pd.DataFrame:
    """The market-size rows of the segments a customer-service router competes in, for the figure."""
    sizes = inp.facts["market_size"]
    return sizes[sizes["segment"].isin(["ai_customer_service", "call_center_ai", "chatbot", "conversational_ai"])]


def build_or_buy(inp: Inputs, llm_usd: float) -> tuple[pd.DataFrame, float]:
    """Cost against model size of pretraining, fine-tuning and a year of API calls; and a 70B pretraining run."""
    api_year = llm_usd * inp.config.monthly_contacts * 12
    table = economics.build_vs_buy(inp.facts, inp.config.gpu_hourly_key, inp.measured, api_year)
    return table, economics.pretrain_cost(inp.facts, inp.config.gpu_hourly_key, 70e9)


def prices(inp: Inputs) -> tuple[pd.Series, float, float]:
    """The market price per resolution we match (less our discount) and the seat price for seat pricing."""
    row = facts.fact(inp.facts, "contact_costs", inp.config.price_key)
    seat = facts.value(inp.facts, "competitors", inp.config.seat_price_key)
    return row, float(row["value"]) * (1 - inp.config.price_discount), seat


def revenue_per_contact(inp: Inputs, ours: product.Shares, price_usd: float, seat_usd: float) -> float:
    """What one contact earns us under the chosen pricing (bottom-up sizing uses it)."""
    c = inp.config
    per = {"per_resolution": ours.resolved * ours.resolved_precision * price_usd,
           "per_seat": seat_usd / c.contacts_per_seat,
           "platform_fee": c.platform_fee_usd_per_month / c.monthly_contacts}  # fmt: skip
    return per[c.pricing]


def sizing(inp: Inputs, per_contact: float) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """TAM range from named research firms, SAM and SOM top-down and bottom-up."""
    c, sizes = inp.config, inp.facts["market_size"]
    sized = economics.sizing(sizes, c.tam_key, c.tam_range_keys, c.sam_share, c.som_share)
    bottom = economics.bottom_up(c.target_companies, c.monthly_contacts, per_contact, c.som_share)
    return sized, economics.sizing_table(sized, bottom), economics.tam_range(sizes, [c.tam_key, *c.tam_range_keys])


def plan(inp: Inputs, ours: product.Shares, price_usd: float, seat_usd: float) -> tuple:
    """The base five-year plan, its yearly roll-up, and the same plan with the exit multiple at zero."""
    serving = inp.measured.serving_cost_per_million_usd / 1e6
    terms = economics.round_terms(inp.facts["benchmarks"], inp.config.rounds)
    base = economics.plan_inputs(inp.config, ours, serving, price_usd, seat_usd, terms)
    result = finance.run_plan(base)
    return base, result, finance.yearly(result.table())


def ranges(inp: Inputs, base: finance.PlanInputs) -> dict:
    """The ranges every Monte Carlo of the plan (and its segments, and the what-if page) draws from: automation
    no higher than the router can resolve (template share x measured precision)."""
    mix = product.class_mix(inp.predictions["label"], inp.classes, inp.config.default_intent_class)
    return montecarlo.cap(inp.config.uncertainty, "automation_rate", mix["template"] * base.automation_precision)


def simulate(inp: Inputs, base: finance.PlanInputs, seed: int) -> tuple[finance.PlanResult, dict, float]:
    """The Monte Carlo over the uncertain inputs (``ranges``), seeded by the chain's seed, and its run time."""
    start = time.perf_counter()
    result = montecarlo.simulate(base, ranges(inp, base), inp.config.draws, seed=seed)
    seconds = time.perf_counter() - start
    return result, montecarlo.summary(result, inp.config.runway_alarm_months), seconds


def outcome_table(base_result: finance.PlanResult, odds: dict) -> pd.DataFrame:
    """NPV with and without the exit, side by side, base case and across draws, with the funding figures."""
    rows = [
        ("NPV, base case (USD m)", base_result.npv_no_exit_usd[0] / 1e6, base_result.npv_usd[0] / 1e6),
        ("P(NPV > 0) across draws", odds["p_npv_positive_no_exit"], odds["p_npv_positive"]),
        ("median NPV across draws (USD m)", odds["npv_no_exit_median"] / 1e6, odds["npv_median"] / 1e6),
    ]
    frame = pd.DataFrame(rows, columns=["", "without exit", "with exit"]).set_index("")
    frame.loc["P(NPV > 0) if missing cash were free (old model)"] = [float("nan"), odds["p_npv_positive_free_money"]]
    return frame.round(3)


def competitors(inp: Inputs, ours: product.Shares, price_usd: float) -> pd.DataFrame:
    """The competitor table with our cost per resolution (cost to serve one client / its resolutions)."""
    v = inp.config.monthly_contacts
    cost = inp.config.own_fixed_usd_per_month + v * inp.measured.serving_cost_per_million_usd / 1e6
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
    serving = inp.measured.serving_cost_per_million_usd / 1e6
    per_contact = revenue_per_contact(inp, ours, price_usd, seat_usd)
    margin = strategy.client_margin(c.monthly_contacts, per_contact, serving, c.own_fixed_usd_per_month)
    payback = c.cac_usd / margin if margin > 0 else float("inf")
    customers_year_one = float(result.table()["customers"].iloc[min(11, c.months - 1)])
    return Strategy(
        competitors=competitors(inp, ours, price_usd),
        moat=moat(inp, ours, price_usd, customers_year_one),
        gtm=strategy.gtm_table(c.gtm, per_contact, serving, c.own_fixed_usd_per_month, inp.facts["benchmarks"]),
        pricing=strategy.pricing_table(base),
        team=strategy.team_table(c.team, c.opex_usd_per_month),
        checks=strategy.benchmark_checks(
            float(yearly_table["gross_margin_pct"].iloc[-1]), c.churn_monthly, payback, inp.facts["benchmarks"]
        ),
    )
