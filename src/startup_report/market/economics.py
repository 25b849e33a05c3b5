"""Market sizing, the channel-matched human cost, training-cost scaling and the plan's base inputs.

Sizing starts from estimates attributed to named research firms and reports their spread as a range:
any single market figure is a choice, so the book shows the choice and its alternatives side by side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from startup_report.market.facts import MarketDataError, fact
from startup_report.market.finance import PlanInputs

DEFAULT_SOURCE_KINDS = ("research_firm", "academic", "company_data", "official")


def top_down(tam_usd: float, sam_share: float, som_share: float) -> dict[str, float]:
    """TAM from a published market size; SAM = TAM x serviceable share; SOM = SAM x obtainable share."""
    sam = tam_usd * sam_share
    return {"tam_usd": tam_usd, "sam_usd": sam, "som_usd": sam * som_share}


def tam_range(sizes: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The estimates that span the TAM range, side by side, with who published them and how it was read."""
    rows = sizes.set_index("key").loc[list(dict.fromkeys(keys))].reset_index()
    return rows[["key", "segment", "year", "value", "publisher", "published", "secondary", "source_kind", "url"]]


def one_year_basis(sizes: pd.DataFrame, keys: list[str]) -> int:
    """The one year the TAM estimates refer to; MarketDataError when they mix years (a 2026 size beside a 2030
    forecast is not a range, it is growth), naming each key's year."""
    years = sizes.set_index("key").loc[list(dict.fromkeys(keys)), "year"].astype(int)
    if years.nunique() > 1:
        found = ", ".join(f"{key} ({year})" for key, year in years.items())
        raise MarketDataError(
            f"market.tam_key and market.tam_range_keys must be estimates for one year, found {found}; "
            "choose rows of market_size.csv with the same `year`."
        )
    return int(years.iloc[0])


def sizing(sizes: pd.DataFrame, tam_key: str, range_keys: list[str], sam_share: float, som_share: float) -> dict:
    """Top-down TAM, SAM and SOM at the central estimate and at the low and high ends of the range, all
    estimates for one year (`one_year_basis`)."""
    one_year_basis(sizes, [tam_key, *range_keys])
    central = float(sizes.set_index("key").loc[tam_key, "value"]) * 1e9
    values = sizes.set_index("key").loc[range_keys, "value"].astype(float) * 1e9
    return {
        "central": top_down(central, sam_share, som_share),
        "low": top_down(float(values.min()), sam_share, som_share),
        "high": top_down(float(values.max()), sam_share, som_share),
    }


def sizing_table(sized: dict, bottom: dict[str, float]) -> pd.DataFrame:
    """TAM/SAM/SOM in USD million: low, central and high top-down, and the bottom-up check."""
    frame = pd.DataFrame(
        {
            f"top-down {name} (USD million)": [sized[name][k] / 1e6 for k in ("tam_usd", "sam_usd", "som_usd")]
            for name in ("low", "central", "high")
        },
        index=["TAM", "SAM", "SOM"],
    )
    frame["bottom-up (USD million)"] = [np.nan, bottom["sam_usd"] / 1e6, bottom["som_usd"] / 1e6]
    return frame.round(1)


def bottom_up(companies: float, contacts_per_month: float, revenue_per_contact: float, som_share: float) -> dict:
    """SAM = companies x contacts a year x what we earn per contact; SOM = SAM x our share."""
    sam = companies * contacts_per_month * 12 * revenue_per_contact
    return {"sam_usd": sam, "som_usd": sam * som_share}


def channel_costs(costs: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Sourced human cost per contact for one channel, newest first (year, then publication date)."""
    rows = costs[costs["channel"] == channel].sort_values(["year", "published"], ascending=False)
    if rows.empty:
        known = sorted(set(costs["channel"]))
        raise MarketDataError(
            f"market.channel: no sourced human cost for channel {channel!r} in channel_costs.csv (channels with "
            f"a figure: {', '.join(known)}). Add a sourced row for it, or set market.channel to the closest one."
        )
    return rows


def human_cost(costs: pd.DataFrame, channel: str, key: str | None) -> pd.Series:
    """The human cost per contact used by the model: the given row, or the newest for the channel."""
    rows = channel_costs(costs, channel)
    if key is None:
        return rows.iloc[0]
    chosen = costs[costs["key"] == key]
    if chosen.empty:
        raise MarketDataError(f"market.human_cost_channel_key: {key!r} is not in channel_costs.csv.")
    return chosen.iloc[0]


def source_problem(row: pd.Series) -> str | None:
    """Why a row may not be a default input (encyclopaedia, unnamed or vendor source), or None when it may."""
    kind = row.get("source_kind")
    if isinstance(kind, str) and kind and kind not in DEFAULT_SOURCE_KINDS:
        return (
            f"its source is {kind!r} ({row['publisher']}); defaults must come from: {', '.join(DEFAULT_SOURCE_KINDS)}"
        )
    return None


def training_cost_from_scratch(
    parameters: np.ndarray, tokens_per_parameter: float, peak_tflops: float, utilisation: float, usd_per_gpu_hour: float
) -> np.ndarray:
    """Compute-optimal pretraining cost: D = k N tokens, C = 6 N D FLOP, GPU-hours = C / (peak x MFU x 3600)."""
    tokens = tokens_per_parameter * parameters
    flop = 6.0 * parameters * tokens
    gpu_hours = flop / (peak_tflops * 1e12 * utilisation * 3600.0)
    return gpu_hours * usd_per_gpu_hour


def finetune_cost_scaled(
    parameters: np.ndarray, measured_seconds: float, measured_parameters: float, usd_per_hour: float
) -> np.ndarray:
    """Our measured CPU fine-tuning run, scaled linearly in model size (same data, same number of steps)."""
    return measured_seconds / 3600.0 * usd_per_hour * (parameters / measured_parameters)


def build_vs_buy(facts: dict[str, pd.DataFrame], gpu_key: str, measured, api_usd_per_year: float) -> pd.DataFrame:
    """Pretraining, fine-tuning (our run scaled) and a year of API use, against model size.

    Without a fine-tuning run in this chain (e.g. a smoke run that skipped it) that column is NaN.
    """
    sizes = np.logspace(7, 12, 60)
    scratch = training_cost_from_scratch(sizes, *build_vs_buy_inputs(facts, gpu_key))
    if measured.finetune_train_seconds and measured.finetune_parameters:
        tuned = finetune_cost_scaled(
            sizes, measured.finetune_train_seconds, measured.finetune_parameters, measured.cpu_usd_per_hour
        )
    else:
        tuned = np.full_like(sizes, np.nan)
    return pd.DataFrame(
        {
            "parameters": sizes,
            "pretrain from scratch (GPU rental)": scratch,
            "fine-tune (our CPU run, scaled)": tuned,
            "rent an LLM API for a year of one client": api_usd_per_year,
        }
    )


def pretrain_cost(facts: dict[str, pd.DataFrame], gpu_key: str, parameters: float) -> float:
    """Compute-optimal pretraining cost of one model size, from the sourced compute figures."""
    row = build_vs_buy_inputs(facts, gpu_key)
    return float(training_cost_from_scratch(np.array([parameters]), *row)[0])


def build_vs_buy_inputs(facts: dict[str, pd.DataFrame], gpu_key: str) -> tuple[float, float, float, float]:
    """Tokens per parameter, peak TFLOPS, utilisation (fraction) and GPU-hour price from compute.csv."""
    get = lambda key: float(fact(facts, "compute", key)["value"])  # noqa: E731
    return (
        get("chinchilla_tokens_per_parameter"),
        get("h100_peak_bf16_dense_tflops"),
        get("mfu_large_training_typical") / 100,
        get(gpu_key),
    )


def round_terms(benchmarks: pd.DataFrame, stages) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Each stage's benchmark pre-money and ARR milestone in USD, from the sourced rows (USD million)."""
    get = lambda key: float(fact({"b": benchmarks}, "b", key)["value"]) * 1e6  # noqa: E731
    return tuple(get(s.premoney_key) for s in stages), tuple(get(s.milestone_key) for s in stages)


def round_terms_text(benchmarks: pd.DataFrame, stages, scale: float) -> str:
    """Each stage's sourced pre-money (times ``scale``) and ARR milestone, with their publishers, in words."""
    from startup_report.report.findings import money

    rows = benchmarks.set_index("key")

    def said(key: str, times: float = 1.0) -> str:
        return f"{money(float(rows.loc[key, 'value']) * 1e6 * times)} ({rows.loc[key, 'publisher']})"

    return "; ".join(
        f"{s.name} at {said(s.premoney_key, scale)} pre-money once ARR reaches {said(s.milestone_key)}" for s in stages
    )


def plan_inputs(
    config,
    shares,
    serving_usd_per_contact: float,
    price_usd: float,
    seat_price_usd: float,
    rounds: tuple[tuple[float, ...], tuple[float, ...]] = ((), ()),
) -> PlanInputs:
    """The five-year plan's base inputs: parameters (assumptions), the measured router shares and the sourced
    round terms (`round_terms`). A channel partner's share (``revenue_share``) comes off every price we charge."""
    keep = 1.0 - config.revenue_share
    return PlanInputs(
        months=config.months,
        starting_cash_usd=config.starting_cash_usd,
        initial_customers=config.initial_customers,
        new_customers_per_month=config.new_customers_per_month,
        sales_growth_annual=config.sales_growth_annual,
        churn_monthly=config.churn_monthly,
        contacts_per_customer_month=config.monthly_contacts,
        automation_rate=shares.resolved,
        automation_precision=shares.resolved_precision,
        price_per_resolution_usd=price_usd * keep,
        serving_usd_per_contact=serving_usd_per_contact,
        fixed_cost_per_customer_usd=config.own_fixed_usd_per_month,
        opex_usd_per_month=config.opex_usd_per_month,
        opex_growth_annual=config.opex_growth_annual,
        cac_usd=config.cac_usd,
        discount_rate_annual=config.discount_rate_annual,
        exit_revenue_multiple=config.exit_revenue_multiple,
        pricing=config.pricing,
        seat_price_usd=seat_price_usd * keep,
        contacts_per_seat=config.contacts_per_seat,
        platform_fee_usd=config.platform_fee_usd_per_month * keep,
        max_dilution=config.max_dilution,
        valuation_scale=config.valuation_scale,
        runway_target_months=config.runway_target_months,
        round_premoney_usd=rounds[0],
        round_milestone_arr_usd=rounds[1],
        sales_cycle_months=config.sales_cycle_months,
        onboarding_months=config.onboarding_months,
        price_erosion_annual=config.price_erosion_annual,
    )
