"""The market stage, step by step: each function is one notebook cell's computation.

Notebook 05 calls these in order and only shows, plots and glues what they return, so every number in
the chapter comes from code with a unit test, and the notebook holds no arithmetic of its own.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from startup_report.evaluation import handoff as evaluation_handoff
from startup_report.market import economics, facts, finance, llm, llm_evidence, montecarlo, product, segments, strategy
from startup_report.market.config import MarketParams
from startup_report.market.routes import Routes, cost_curves, per_contact, prices, route_comparison  # noqa: F401
from startup_report.report import findings


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
    segment: str = ""  # the go-to-market segment whose values the config holds (``reported_segment``)


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
    measured, c = inp.measured, inp.config
    examples, retrieved = llm_evidence.prompt_of(inp.facts["banking77_results"], c.llm_accuracy_key)
    tokens = llm.tokens(measured.llm_tokens_per_message, measured.llm_output_tokens, measured.llm_prompt_tokens,
                        examples, retrieved, c.llm_reasoning_tokens)  # the published method's prompt, priced
    table = llm.price_table(inp.facts["llm_prices"], inp.facts["llm_discounts"])
    priced = llm.priced(table, tokens, inp.config.as_of)
    row = table[table["model"] == inp.config.llm_model].iloc[0]
    usd = llm.usd_per_message(row, tokens, inp.config.llm_prompt_caching, inp.config.llm_batch)
    priced.attrs["tokens"] = tokens
    return priced, usd


def size_estimates(inp: Inputs) -> pd.DataFrame:
    """The market-size rows of the segments a customer-service router competes in, for the figure."""
    sizes = inp.facts["market_size"]
    return sizes[sizes["segment"].isin(["ai_customer_service", "call_center_ai", "chatbot", "conversational_ai"])]


def build_or_buy(inp: Inputs, llm_usd: float) -> tuple[pd.DataFrame, float]:
    """Cost against model size of pretraining, fine-tuning and a year of API calls; and a 70B pretraining run."""
    api_year = per_contact(inp, llm_usd) * inp.config.monthly_contacts * 12
    table = economics.build_vs_buy(inp.facts, inp.config.gpu_hourly_key, inp.measured, api_year)
    return table, economics.pretrain_cost(inp.facts, inp.config.gpu_hourly_key, 70e9)


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


def plan_inputs(inp: Inputs, ours: product.Shares, price_usd: float, seat_usd: float) -> finance.PlanInputs:
    """The plan's base inputs for ``inp.config`` (the report's segment, or any segment's market parameters)."""
    serving = per_contact(inp, inp.measured.serving_cost_per_million_usd / 1e6)  # every message of the contact
    terms = economics.round_terms(inp.facts["benchmarks"], inp.config.rounds)
    return economics.plan_inputs(inp.config, ours, serving, price_usd, seat_usd, terms)


def plan(inp: Inputs, ours: product.Shares, price_usd: float, seat_usd: float) -> tuple:
    """The base five-year plan, its yearly roll-up, and the same plan with the exit multiple at zero."""
    base = plan_inputs(inp, ours, price_usd, seat_usd)
    result = finance.run_plan(base)
    return base, result, finance.yearly(result.table())


def ranges(inp: Inputs, base: finance.PlanInputs) -> dict:
    """The ranges every Monte Carlo of a plan (the report's, each segment's, the what-if page's) draws from,
    centred on ``base``; automation no higher than the share of messages a template can resolve."""
    mix = product.class_mix(inp.predictions["label"], inp.classes, inp.config.default_intent_class)
    return montecarlo.centred(base, inp.config.uncertainty, {"automation_rate": float(mix["template"])})


def segment_plans(inp: Inputs, ours: product.Shares) -> dict[str, segments.SegmentPlan]:
    """Every go-to-market segment's base plan and ranges, priced like the report's plan."""
    _, price_usd, seat_usd = prices(inp)
    return segments.plans(
        inp.config,
        lambda config: plan_inputs(dataclasses.replace(inp, config=config), ours, price_usd, seat_usd),
        lambda base: ranges(inp, base),
    )


def reported_segment(inp: Inputs, ours: product.Shares, seed: int) -> tuple[Inputs, pd.DataFrame, dict]:
    """Every segment's plan and odds, and the inputs with the recommended segment's values in place: the plan
    the rest of the chapter, the summary and ``market.json`` report."""
    c = inp.config
    plans = segment_plans(inp, ours)
    thresholds = findings.Thresholds(c.gold_mine_probability, c.bubble_probability, c.max_failure_probability)
    table = segments.run_segments(plans, c.draws, seed, c.runway_alarm_months, thresholds)
    chosen = segments.recommended(table)
    return dataclasses.replace(inp, config=plans[chosen].config, segment=chosen), table, plans


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
