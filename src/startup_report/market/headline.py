"""The market stage's headline: the text values the book glues, and the typed ``market.json``.

Formatting lives here, not in the notebook, so the glue cell is one call and the wording rules
(`report.findings`, `report.recommend`) are applied in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.market import economics, facts, handoff, invoice, llm_evidence, montecarlo, segments
from startup_report.market.analysis import Inputs, Routes
from startup_report.market.finance import PlanResult
from startup_report.market.llm_evidence import llm_basis, llm_source  # noqa: F401 (the chapter's wording)
from startup_report.market.product import Shares
from startup_report.report import findings, recommend
from startup_report.report.findings import money


@dataclass(frozen=True)
class Outcome:
    """What the chapter computed, gathered for the headline."""

    human: pd.Series
    ours: Shares
    theirs: Shares
    llm_usd: float
    routes: Routes
    price_usd: float
    sized: dict
    base: PlanResult
    yearly: pd.DataFrame
    odds: dict
    mc_seconds: float
    sensitivity: pd.DataFrame
    segments: pd.DataFrame | None = None  # segments.run_segments: one plan per go-to-market segment


def thresholds(config) -> findings.Thresholds:
    return findings.Thresholds(config.gold_mine_probability, config.bubble_probability, config.max_failure_probability)


def verdict(inp: Inputs, odds: dict) -> str:
    return findings.verdict(
        odds["p_npv_positive_no_exit"], odds["p_npv_positive"], odds["p_fail"], thresholds(inp.config)
    )


def recommendations(
    inp: Inputs, o: Outcome, pricing: pd.DataFrame, gtm: pd.DataFrame, moat: pd.DataFrame, checks: pd.DataFrame
) -> list[str]:
    """The chapter's recommendations, in the order a founder acts on them."""
    v = inp.config.monthly_contacts
    return [
        invoice.recommendation(v, o.routes.routes, o.routes.our_side, llm_breakeven(inp, o)),
        recommend.go_to_market(gtm),
        recommend.pricing(pricing, inp.config.pricing),
        recommend.data_moat(moat),
        recommend.margin(checks),
        recommend.funding(
            o.odds, float(o.base.funding_need_usd[0]), inp.config.months, inp.config.max_failure_probability
        ),
        recommend.exit_dependence(o.odds, inp.config.exit_revenue_multiple, inp.config.gold_mine_probability),
    ]


def llm_breakeven(inp: Inputs, o: Outcome) -> str:
    """The break-even LLM accuracy against every published LLM figure, in one sentence."""
    evens = findings.finite(o.routes.break_evens.get("llm_accuracy"))
    table = llm_evidence.breakeven_table(inp.facts["banking77_results"], evens, inp.config.llm_accuracy_key)
    return llm_evidence.breakeven_sentence(table, evens, inp.config.llm_model)


def invoice_values(side: invoice.OurSide, messages: float) -> dict[str, str]:
    return {"our_price_per_contact": f"${side.revenue:.2f}", "our_margin_per_contact": f"${side.margin:.2f}",
            "our_cost_per_contact": f"${side.cost:.2f}", "messages_per_conversation": f"{messages:g}"}


def world_text(inp: Inputs) -> str:
    """Which measured automation the chapter prices, in words (market.automation_world)."""
    w = inp.measured.open_world
    if inp.config.automation_world == "closed":
        return (f"the closed world: every test message belongs to an intent {inp.measured.model} was trained on "
                f"(market.automation_world: closed)")
    held = (f"{1 - w.known_share:.0%} of the intents held out as unknown" if w.source == "held-out intents"
            else "the dataset's out-of-scope messages mixed in")
    return (f"the open world: {w.model} trained on the known intents with {held}, rejection by "
            f"{w.rejection.replace('_', ' ')}, mean of {w.seeds} draw(s) (market.automation_world: open); the "
            "LLM API, prompted with the same known intents, is counted right only on their messages")


def values(inp: Inputs, o: Outcome, seed: int) -> dict[str, object]:
    """Every number the market chapter, the strategy chapter and the summary glue, formatted for prose."""
    c, f = inp.config, inp.facts
    v = c.monthly_contacts
    own, llm = o.routes.routes[2], o.routes.routes[1]
    size_rows = f["market_size"].set_index("key")
    central = size_rows.loc[c.tam_key]
    last = o.yearly.iloc[-1]
    return {
        "seed": seed,
        "channel": c.channel,
        "human_cost": f"${float(o.human['value']):.2f}",
        "human_cost_source": f"{o.human['publisher']}, {o.human['year']}",
        "mixed_cost": facts.formatted(facts.fact(f, "contact_costs", c.human_cost_key)),
        "own_cost": f"${own.monthly_cost(v) / v:.2f}",
        "llm_cost": f"${llm.monthly_cost(v) / v:.2f}",
        "llm_model": c.llm_model,
        "llm_per_million": f"${o.llm_usd * 1e6:,.0f}",
        "llm_accuracy": f"{llm_evidence.published_accuracy(inp):.1%}",
        "llm_accuracy_source": llm_source(f["banking77_results"], c.llm_accuracy_key),
        "llm_accuracy_basis": llm_basis(inp.measured.dataset),
        "our_accuracy": f"{inp.measured.accuracy:.1%}",
        "resolved_share": f"{o.ours.resolved:.0%}",
        "automation_world": world_text(inp),
        "resolved_precision": f"{o.ours.resolved_precision:.1%}",
        "routed_share": f"{o.ours.routed:.0%}",
        "template_intents": int((inp.classes["resolution_class"] == "template").sum()),
        "n_intents": len(inp.classes),
        "price": f"${o.price_usd:.2f}",
        "route_advice": invoice.route_advice(v, o.routes.routes, o.routes.break_evens),
        **invoice_values(o.routes.our_side, inp.config.messages_per_conversation),
        "monthly_contacts": f"{v:,}",
        "tam": money(float(central["value"]) * 1e9),
        "tam_source": f"{central['publisher']} ({central['published']}) for {central['year']}",
        "tam_low": money(o.sized["low"]["tam_usd"]),
        "tam_high": money(o.sized["high"]["tam_usd"]),
        "sam_top": money(o.sized["central"]["sam_usd"]),
        "som_top": money(o.sized["central"]["som_usd"]),
        "npv_base": money(float(o.base.npv_usd[0])),
        "npv_base_no_exit": money(float(o.base.npv_no_exit_usd[0])),
        "funding_need_base": money(float(o.base.funding_need_usd[0])),
        "min_cash": money(float(o.base.min_cash_usd[0])),
        "base_story": findings.base_case_story(
            float(o.base.runway_months[0]),
            c.months,
            float(o.base.funding_need_usd[0]),
            o.base.rounds_table(),
            [s.name for s in c.rounds],
            c.max_dilution,
            c.runway_target_months,
        ),
        "discount_rate": f"{c.discount_rate_annual:.0%}",
        "gross_margin_last": f"{last['gross_margin_pct']:.0f}%" if pd.notna(last["gross_margin_pct"]) else "n/a",
        "draws": f"{c.draws:,}",
        "p_npv_positive": f"{o.odds['p_npv_positive']:.0%}",
        "p_npv_positive_no_exit": f"{o.odds['p_npv_positive_no_exit']:.0%}",
        "p_npv_free_money": f"{o.odds['p_npv_positive_free_money']:.0%}",
        "p_needs_raise": f"{o.odds['p_needs_raise']:.0%}",
        "p_fail": f"{o.odds['p_fail']:.0%}",
        "funding_need_median": money(o.odds["funding_need_median"]),
        "funding_need_p90": money(o.odds["funding_need_p90"]),
        "p_runway_short": f"{o.odds['p_runway_short']:.0%}",
        "runway_alarm": c.runway_alarm_months,
        "npv_median": money(o.odds["npv_median"]),
        "npv_no_exit_median": money(o.odds["npv_no_exit_median"]),
        "exit_multiple": f"{c.exit_revenue_multiple:g}x",
        "runway_target": f"{c.runway_target_months:g} months",
        "round_terms": economics.round_terms_text(inp.facts["benchmarks"], c.rounds, c.valuation_scale),
        "max_dilution": f"{c.max_dilution:.0%}",
        "gold_threshold": f"{c.gold_mine_probability:.0%}",
        "bubble_threshold": f"{c.bubble_probability:.0%}",
        "max_fail_threshold": f"{c.max_failure_probability:.0%}",
        "verdict": verdict(inp, o.odds),
        "verdict_label": findings.verdict_label(verdict(inp, o.odds)),
        "llm_breakeven": llm_breakeven(inp, o),
        "segment_sentence": segments.segment_sentence(o.segments) if o.segments is not None else "",
        "reported_segment": segments.recommended(o.segments) if o.segments is not None else "the plan",
        "top_driver": montecarlo.label(o.sensitivity["input"].iloc[0]),
        "second_driver": montecarlo.label(o.sensitivity["input"].iloc[1]),
    }


def result(inp: Inputs, o: Outcome, seed: int) -> handoff.MarketResult:
    """The typed hand-off written to market.json."""
    v = inp.config.monthly_contacts
    own, llm = o.routes.routes[2], o.routes.routes[1]
    return handoff.MarketResult(
        seed=seed,
        channel=inp.config.channel,
        human_usd_per_contact=float(o.human["value"]),
        own_usd_per_contact=float(own.monthly_cost(v) / v),
        llm_usd_per_contact=float(llm.monthly_cost(v) / v),
        llm_usd_per_message=o.llm_usd,
        llm_accuracy=llm_evidence.published_accuracy(inp),
        our_margin_usd_per_contact=o.routes.our_side.margin,
        automation_world=inp.config.automation_world,
        resolved_share=o.ours.resolved,
        resolved_precision=o.ours.resolved_precision,
        routed_share=o.ours.routed,
        cheapest_route=o.routes.cheapest.name,
        own_beats_api_above=findings.finite(o.routes.break_evens["own_beats_api_above"]),
        api_beats_own_above=findings.finite(o.routes.break_evens["api_beats_own_above"]),
        api_beats_human_above=findings.finite(o.routes.break_evens["api_beats_human_above"]),
        npv_base_usd=float(o.base.npv_usd[0]),
        npv_base_no_exit_usd=float(o.base.npv_no_exit_usd[0]),
        funding_need_base_usd=float(o.base.funding_need_usd[0]),
        runway_base_months=float(o.base.runway_months[0]),
        gross_margin_last_year_pct=float(o.yearly.iloc[-1]["gross_margin_pct"]),
        verdict=verdict(inp, o.odds),
        monte_carlo_seconds=o.mc_seconds,
        **o.odds,
        sources={
            "human": facts.citation(o.human),
            "price": facts.citation(facts.fact(inp.facts, "contact_costs", inp.config.price_key)),
        },
        segments=[
            handoff.SegmentResult(
                name=r["segment"],
                recommended=bool(r["recommended"]),
                **{k: float(r[k]) for k in SEGMENT_FIGURES},
                verdict=r["verdict"],
            )
            for _, r in (o.segments if o.segments is not None else pd.DataFrame()).iterrows()
        ],
        llm_breakeven_accuracy=findings.finite(o.routes.break_evens.get("llm_accuracy")),
    )


SEGMENT_FIGURES = ("npv_base_usd", "npv_base_no_exit_usd", "p_npv_positive", "p_npv_positive_no_exit",
                   "funding_need_base_usd")  # fmt: skip


def strategy_values(
    competitors: pd.DataFrame,
    moat: pd.DataFrame,
    gtm: pd.DataFrame,
    team: pd.DataFrame,
    recs: list[str],
    checks: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The strategy chapter's numbers and its recommendations (rec_1 ... rec_n), formatted for prose."""
    ours = competitors[competitors["vendor"] == "us"].set_index("product")["price"]
    others = competitors[(competitors["vendor"] != "us") & (competitors["basis"] == "per resolution")]
    ten = moat.set_index("extra examples per intent").loc[10]
    one = moat.set_index("extra examples per intent").loc[1]
    best = gtm.iloc[0]

    def months(value: float) -> str:
        return f"{value:.1f} months" if np.isfinite(value) else "never"

    def named(row: pd.Series) -> str:
        return f"{row['vendor']} {row['product']} at ${row['price']:.2f}"

    return {
        "our_cost_per_resolution": (
            f"${ours['intent router: cost to serve']:.2f}"
            if np.isfinite(ours["intent router: cost to serve"])
            else "undefined (nothing is resolved)"
        ),
        "our_price_per_resolution": f"${ours['intent router: our price']:.2f}",
        "cheapest_competitor": named(others.iloc[0]),
        "priciest_competitor": named(others.iloc[-1]),
        "moat_one_revenue": f"${one['extra revenue per month (USD)']:,.0f}",
        "moat_one_automation": f"{one['accuracy gain (points)']:.2f} points",
        "moat_ten_cost": f"${ten['labelling cost (USD)']:,.0f}",
        "moat_ten_payback": months(ten["payback (months)"]),
        "moat_curve": moat.attrs.get("curve", "a learning curve"),
        "gtm_best": best["option"],
        "gtm_best_payback": months(best["CAC payback (months)"]),
        "team_monthly": f"${team.attrs['total']:,.0f}",
        "team_share": f"{team.attrs['share_of_opex']:.0%}",
        "n_recommendations": len(recs),
        "benchmark_note": findings.benchmark_note(checks) if checks is not None else "",
        **{f"rec_{i}": text for i, text in enumerate(recs, start=1)},
    }
