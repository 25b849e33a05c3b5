"""The strategy chapter's numbers: competitors, the data moat, go-to-market payback, pricing, team, benchmarks.

Each table is computed from the same plan and cost model as the market chapter, so the options it
compares differ only in the one thing being compared.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from startup_report.market.facts import fact
from startup_report.market.finance import PRICING, PlanInputs, run_plan, yearly


def competitor_table(competitors: pd.DataFrame, our_cost_per_resolution: float, our_price: float) -> pd.DataFrame:
    """Vendor, product, price basis, price and source, with our measured cost and our price as rows."""
    table = competitors.assign(price=competitors["value"].astype(float))[
        ["vendor", "product", "basis", "price", "unit", "publisher", "published", "url"]
    ]
    ours = pd.DataFrame(
        [
            {
                "vendor": "us",
                "product": "intent router: cost to serve",
                "basis": "per resolution",
                "price": our_cost_per_resolution,
                "unit": "USD per resolution",
                "publisher": "measured in this run",
            },
            {
                "vendor": "us",
                "product": "intent router: our price",
                "basis": "per resolution",
                "price": our_price,
                "unit": "USD per resolution",
                "publisher": "market.price_key less market.price_discount",
            },
        ]
    )
    frame = pd.concat([table, ours], ignore_index=True).sort_values(["basis", "price"]).reset_index(drop=True)
    text = [c for c in frame.columns if c != "price"]
    return frame.assign(price=frame["price"].astype(float).round(2)).fillna({c: "" for c in text})


def learning_curve(results: pd.DataFrame, model: str) -> tuple[float, float]:
    """Fit accuracy = a + b ln(examples per intent) through a model's published few-shot and full-data points.

    Returns (a, b) with accuracy as a fraction; 'full' counts as 130 examples per intent (BANKING77's split).
    """
    rows = results[(results["kind"] == "curve") & (results["model"] == model)]
    n = rows["shots"].replace({"full": "130"}).astype(float).to_numpy()
    acc = rows["value"].astype(float).to_numpy() / 100.0
    if len(n) < 2:
        raise ValueError(f"banking77_results.csv: need two curve points for {model!r}, found {len(n)}")
    b, a = np.polyfit(np.log(n), acc, 1)
    return float(a), float(b)


def check_measured_curve(results: pd.DataFrame, model: str) -> pd.DataFrame:
    """``model``'s rows of results.csv, if it was trained at two budgets or more (a curve needs two points)."""
    rows = results[results["model"] == model]
    if rows["budget"].nunique() < 2:
        raise ValueError(f"results.csv holds fewer than two budgets of {model!r}: set market.measured_curve_model")
    return rows


def measured_learning_curve(results: pd.DataFrame, model: str, n_intents: int) -> tuple[float, float, float]:
    """Fit accuracy = a + b ln(examples per intent) through our model's mean test accuracy at each budget.

    Returns (a, b, examples per intent of the full budget): the report's own evidence of what labels buy.
    """
    rows = check_measured_curve(results, model)
    per_budget = rows.groupby("budget").agg(accuracy=("accuracy", "mean"), examples=("train_examples", "mean"))
    shots = per_budget["examples"] / n_intents
    b, a = np.polyfit(np.log(shots.to_numpy(dtype=float)), per_budget["accuracy"].to_numpy(dtype=float), 1)
    full = float(shots.get("full", shots.max()))
    return float(a), float(b), full


def data_moat(
    a: float,
    b: float,
    examples_now: float,
    automation_now: float,
    contacts: float,
    usd_per_resolution: float,
    customers: float,
    n_intents: int,
    label_cost_usd: float,
    template_share: float,
    extra: tuple[int, ...] = (1, 10, 50, 130),
) -> pd.DataFrame:
    """What more labelled examples per intent are worth: accuracy from the curve; the resolved share moves with
    accuracy on the template intents' share of messages (an assumption); monthly revenue across ``customers``
    clients, one-off labelling cost and payback months."""
    rows = []
    for k in extra:
        gain = b * np.log((examples_now + k) / examples_now)
        automation = min(1.0, automation_now + template_share * gain)
        monthly = (automation - automation_now) * contacts * usd_per_resolution * customers
        cost = k * n_intents * label_cost_usd
        rows.append(
            {
                "extra examples per intent": k,
                "accuracy gain (points)": 100 * gain,
                "automation (share)": automation,
                "extra revenue per month (USD)": monthly,
                "labelling cost (USD)": cost,
                "payback (months)": cost / monthly if monthly > 0 else np.inf,
            }
        )
    return pd.DataFrame(rows)


def client_margin(
    contacts: float, revenue_per_contact: float, serving_per_contact: float, fixed: float, revenue_share: float = 0.0
) -> float:
    """Monthly gross margin of one client: revenue (after a partner's share) - serving - fixed cost per client."""
    return contacts * (revenue_per_contact * (1.0 - revenue_share) - serving_per_contact) - fixed


def gtm_table(
    options: Mapping, revenue_per_contact: float, serving_per_contact: float, fixed: float, benchmarks: pd.DataFrame
) -> pd.DataFrame:
    """CAC payback and lifetime value of one client per go-to-market option, beside the sourced median."""
    payback_low = float(fact({"b": benchmarks}, "b", "saas_cac_payback_median_low")["value"])
    payback_high = float(fact({"b": benchmarks}, "b", "saas_cac_payback_median_high")["value"])
    rows = []
    for name, o in options.items():
        monthly = client_margin(o.monthly_contacts, revenue_per_contact, serving_per_contact, fixed, o.revenue_share)
        payback = o.cac_usd / monthly if monthly > 0 else np.inf
        lifetime = monthly / o.churn_monthly if o.churn_monthly > 0 else np.inf
        rows.append(
            {
                "option": name,
                "CAC (USD)": o.cac_usd,
                "contacts a month": o.monthly_contacts,
                "gross margin a month (USD)": monthly,
                "CAC payback (months)": payback,
                "lifetime gross margin / CAC": lifetime / o.cac_usd if o.cac_usd else np.inf,
                "within the SaaS median payback": bool(payback <= payback_high),
            }
        )
    frame = pd.DataFrame(rows).sort_values("CAC payback (months)").reset_index(drop=True)
    frame.attrs["benchmark"] = (payback_low, payback_high)
    return frame


def pricing_table(base: PlanInputs) -> pd.DataFrame:
    """The same plan under each pricing option: last-year revenue and gross margin, operating NPV (missing cash
    treated as free, so options that all need a raise still differ), and NPV with exit after the funding charge."""
    rows = []
    for option in PRICING:
        result = run_plan(base.with_values(pricing=option))
        last = yearly(result.table()).iloc[-1]
        rows.append(
            {
                "pricing": option,
                "last-year revenue (USD m)": last["revenue"] / 1e6,
                "last-year gross margin (%)": last["gross_margin_pct"],
                "operating NPV (USD m)": float(result.npv_operating_usd[0]) / 1e6,
                "NPV with exit (USD m)": float(result.npv_usd[0]) / 1e6,
                "funding need (USD m)": float(result.funding_need_usd[0]) / 1e6,
            }
        )
    return pd.DataFrame(rows).round(2)


def team_table(team: Mapping, opex_usd_per_month: float) -> pd.DataFrame:
    """Monthly cost of each role and the team's share of the year-one operating budget."""
    frame = pd.DataFrame(
        [
            {"role": name, "people": r.count, "USD per month": round(r.count * r.usd_per_year / 12)}
            for name, r in team.items()
        ]
    )
    frame.attrs["total"] = float(frame["USD per month"].sum())
    frame.attrs["share_of_opex"] = frame.attrs["total"] / opex_usd_per_month if opex_usd_per_month else np.nan
    return frame


def benchmark_checks(
    gross_margin_pct: float, churn_monthly: float, cac_payback_months: float, benchmarks: pd.DataFrame
) -> pd.DataFrame:
    """Our gross margin, churn and CAC payback against their sourced ranges, flagging what lies outside."""

    def value(key: str) -> float:
        return float(fact({"b": benchmarks}, "b", key)["value"])

    annual_churn = 100 * (1 - (1 - churn_monthly) ** 12)
    rows = [
        (
            "gross margin, last plan year (%)",
            gross_margin_pct,
            value("iconiq_ai_gross_margin_2024"),
            value("saas_median_gross_margin_high"),
            "ICONIQ AI products (low) to SaaS median (high)",
        ),
        (
            "annual logo churn (%)",
            annual_churn,
            value("saas_annual_logo_churn_median_low"),
            value("saas_annual_logo_churn_median_high"),
            "B2B SaaS median (SaaS Capital via Eagle Rock)",
        ),
        (
            "CAC payback (months)",
            cac_payback_months,
            value("aleph_benchmarkit_cac_payback_top_quartile_2025"),
            value("aleph_benchmarkit_cac_payback_bottom_quartile_2025"),
            "Aleph x Benchmarkit FY2025 quartiles",
        ),
    ]
    frame = pd.DataFrame(rows, columns=["metric", "ours", "benchmark low", "benchmark high", "benchmark"])
    frame["outside"] = (frame["ours"] < frame["benchmark low"]) | (frame["ours"] > frame["benchmark high"])
    return frame.round(1)
