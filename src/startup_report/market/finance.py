"""The financial model: per-contact route costs, break-even, a five-year plan, NPV, funding and dilution.

Every function works on numpy arrays, so the same code computes one scenario (scalars) or ten
thousand Monte Carlo draws at once (arrays of shape (draws, 1) broadcast against months). The route
comparison and the plan share one cost model: serving every contact plus a fixed cost per client.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from startup_report.market.funding import Rounds, owners_value, staged_rounds

ArrayLike = float | np.ndarray
PRICING = ("per_resolution", "per_seat", "platform_fee")


def npv(cashflows: np.ndarray, annual_rate: float, periods_per_year: int = 12) -> np.ndarray:
    """Net present value of cash flows at the end of periods 1..n, discounted at an annual rate.

    Works along the last axis, so a (draws, months) array gives one NPV per draw.
    """
    cashflows = np.asarray(cashflows, dtype=float)
    periods = np.arange(1, cashflows.shape[-1] + 1)
    factors = (1.0 + annual_rate) ** (-periods / periods_per_year)
    return (cashflows * factors).sum(axis=-1)


def break_even_volume(fixed_a: float, variable_a: float, fixed_b: float, variable_b: float) -> float:
    """Volume above which route B (higher fixed, lower variable cost) is cheaper than route A.

    Solves fixed_a + v * variable_a = fixed_b + v * variable_b; infinite when B never catches up.
    """
    if variable_a <= variable_b:
        return float("inf") if fixed_b > fixed_a else 0.0
    return max(0.0, (fixed_b - fixed_a) / (variable_a - variable_b))


@dataclass(frozen=True)
class Route:
    """A way to handle a client's contacts: fixed monthly cost plus a cost per contact."""

    name: str
    fixed_usd_per_month: float
    usd_per_contact: float

    def monthly_cost(self, contacts: ArrayLike) -> ArrayLike:
        return self.fixed_usd_per_month + np.asarray(contacts) * self.usd_per_contact


def cheapest_route(routes: list[Route], contacts: float) -> Route:
    return min(routes, key=lambda route: float(route.monthly_cost(contacts)))


def break_evens(routes: list[Route]) -> dict[str, float]:
    """Volumes where the cheapest route changes: routes are [human, LLM API, own model]."""
    human, api, own = routes
    return {
        "own_beats_api_above": break_even_volume(
            api.fixed_usd_per_month, api.usd_per_contact, own.fixed_usd_per_month, own.usd_per_contact
        ),
        "api_beats_human_above": break_even_volume(
            human.fixed_usd_per_month, human.usd_per_contact, api.fixed_usd_per_month, api.usd_per_contact
        ),
        "own_beats_human_above": break_even_volume(
            human.fixed_usd_per_month, human.usd_per_contact, own.fixed_usd_per_month, own.usd_per_contact
        ),
    }


@dataclass(frozen=True)
class PlanInputs:
    """The startup's five-year plan. Any numeric field may be an array of shape (draws, 1) for Monte Carlo."""

    months: int
    starting_cash_usd: ArrayLike
    initial_customers: ArrayLike
    new_customers_per_month: ArrayLike
    sales_growth_annual: ArrayLike
    churn_monthly: ArrayLike
    contacts_per_customer_month: ArrayLike
    automation_rate: ArrayLike  # share of contacts resolved automatically (template intents, confident)
    automation_precision: ArrayLike  # share of those that are right: only right ones are billed
    price_per_resolution_usd: ArrayLike
    serving_usd_per_contact: ArrayLike
    fixed_cost_per_customer_usd: ArrayLike
    opex_usd_per_month: ArrayLike
    opex_growth_annual: ArrayLike
    cac_usd: ArrayLike
    discount_rate_annual: float
    exit_revenue_multiple: ArrayLike
    pricing: str = "per_resolution"
    seat_price_usd: ArrayLike = 0.0
    contacts_per_seat: ArrayLike = 1.0
    platform_fee_usd: ArrayLike = 0.0
    max_dilution: ArrayLike = 0.5
    valuation_scale: ArrayLike = 1.0  # multiplies every stage's benchmark pre-money (1 = the sourced median)
    runway_target_months: float = 18.0  # length of a funding period: one round per period that needs cash
    round_premoney_usd: tuple[float, ...] = ()  # benchmark pre-money of the 1st, 2nd, ... round (last repeats)
    round_milestone_arr_usd: tuple[float, ...] = ()  # ARR the company must have reached by that round
    sales_cycle_months: ArrayLike = 0.0  # months from winning a client (CAC paid) to its first revenue
    onboarding_months: ArrayLike = 0.0  # months over which a client's volume ramps linearly to full
    price_erosion_annual: ArrayLike = 0.0  # share of the price lost per year (competition)

    def with_values(self, **changes: ArrayLike) -> PlanInputs:
        return replace(self, **changes)

    @classmethod
    def field_names(cls) -> list[str]:
        """The fields that may be arrays (one value per draw)."""
        return [f.name for f in fields(cls) if f.name not in NOT_DRAWN]


NOT_DRAWN = ("months", "pricing", "runway_target_months", "round_premoney_usd", "round_milestone_arr_usd")


def revenue_per_customer(p: PlanInputs, contacts: np.ndarray, col) -> np.ndarray:
    """Monthly revenue of one client under the chosen pricing (per right resolution, per seat, flat fee)."""
    if p.pricing == "per_resolution":
        return contacts * col(p.automation_rate) * col(p.automation_precision) * col(p.price_per_resolution_usd)
    if p.pricing == "per_seat":
        return contacts / col(p.contacts_per_seat) * col(p.seat_price_usd)
    if p.pricing == "platform_fee":
        return np.broadcast_to(col(p.platform_fee_usd), contacts.shape)
    raise ValueError(f"market.pricing: {p.pricing!r} is not one of {PRICING}")


@dataclass(frozen=True)
class PlanResult:
    monthly: dict[str, np.ndarray]  # each (draws, months)
    npv_usd: np.ndarray  # (draws,) value to today's owners with the exit, after the staged rounds
    npv_no_exit_usd: np.ndarray  # (draws,) the same without the exit
    npv_unfunded_usd: np.ndarray  # (draws,) with exit, as if today's owners paid every shortfall themselves
    npv_operating_usd: np.ndarray  # (draws,) operating cash flows only, as if missing cash were free
    runway_months: np.ndarray  # months until the plan's own cash < 0; months + 1 when it never runs out
    min_cash_usd: np.ndarray
    funding_need_usd: np.ndarray  # cash to raise so that cash never goes below zero
    dilution: np.ndarray  # total share of the company sold in the rounds (NaN where a round failed)
    failed: np.ndarray  # a round failed: today's owners lose the company
    rounds: Rounds
    raised_usd: np.ndarray  # cash raised in the rounds that closed (before any failure)

    def table(self, draw: int = 0) -> pd.DataFrame:
        """One draw's plan as a monthly table."""
        frame = pd.DataFrame({name: values[draw] for name, values in self.monthly.items()})
        frame.insert(0, "month", np.arange(1, len(frame) + 1))
        return frame

    def rounds_table(self, draw: int = 0) -> pd.DataFrame:
        """One draw's rounds up to the first that fails: month, amount, pre-money, dilution, failed."""
        r = self.rounds
        keep = r.taken[draw]
        return pd.DataFrame(
            {
                "round": np.arange(1, keep.sum() + 1),
                "month": r.month[draw][keep] + 1,
                "amount (USD)": r.amount_usd[draw][keep],
                "pre-money (USD)": r.pre_money_usd[draw][keep],
                "dilution": r.dilution[draw][keep],
                "failed": r.failed[draw][keep],
                "missed milestone": r.missed[draw][keep],
                "stage": r.stage[draw][keep],
            }
        )


def _paying(p: PlanInputs, col, draws: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signed clients, clients won each month, and paying-equivalent clients (after the sales cycle and the
    onboarding ramp), month by month. A client won in month s pays nothing for ``sales_cycle_months`` and then
    ramps linearly to its full volume over ``onboarding_months``; churn applies from the month it is won."""
    years = np.arange(p.months) / 12.0
    new = col(p.new_customers_per_month) * (1.0 + col(p.sales_growth_annual)) ** years
    retained = 1.0 - col(p.churn_monthly)
    lags = np.arange(p.months)[None, :]
    cycle, ramp = col(p.sales_cycle_months), np.maximum(col(p.onboarding_months), 0.0)
    # Weight of a cohort at age `lag` (months since won, 0 = the month it is won): 0 during the sales cycle,
    # then (months paid) / ramp, capped at 1. With no cycle and no ramp every cohort pays from its first month.
    weight = np.clip((lags + 1.0 - cycle) / np.maximum(ramp, 1.0), 0.0, 1.0)
    survive = retained**lags  # (draws, months)
    initial = col(p.initial_customers) * retained ** (lags + 1.0)
    customers = np.empty((draws, p.months))
    paying = np.empty((draws, p.months))
    for t in range(p.months):
        ages = survive[:, : t + 1][:, ::-1]  # cohort won at s has age t - s
        cohorts = new[:, : t + 1] * ages
        customers[:, t] = initial[:, t] + cohorts.sum(axis=1)
        paying[:, t] = initial[:, t] + (cohorts * weight[:, : t + 1][:, ::-1]).sum(axis=1)
    return customers, new, paying


def run_plan(p: PlanInputs) -> PlanResult:
    """Customers, contacts, revenue, cost of revenue, gross margin, opex, cash flow and cash, month by month.

    Revenue follows ``pricing`` on the paying-equivalent clients (after the sales cycle and onboarding ramp),
    with prices eroding by ``price_erosion_annual``. Cost of revenue is serving every contact plus a fixed cost
    per deployed client (the same figures as the own-model route). Opex is the team (growing yearly) plus the
    acquisition cost of every client won. The exit is ``exit_revenue_multiple`` x the last twelve months'
    revenue. Missing cash comes from staged rounds (`staged_rounds`), valued by `owners_value`.
    """
    draws = max(np.size(getattr(p, name)) for name in PlanInputs.field_names())

    def col(value: ArrayLike) -> np.ndarray:
        """Any input as a (draws, 1) column, so it broadcasts against months."""
        return np.broadcast_to(np.asarray(value, dtype=float).reshape(-1, 1), (draws, 1))

    customers, new, paying = _paying(p, col, draws)
    contacts = paying * col(p.contacts_per_customer_month)
    years = np.arange(p.months) / 12.0
    erosion = (1.0 - col(p.price_erosion_annual)) ** years
    revenue = paying * revenue_per_customer(p, col(p.contacts_per_customer_month), col) * erosion
    # A client costs its fixed cost as it is deployed: nothing in the sales cycle, in step with the onboarding ramp.
    cost_of_revenue = contacts * col(p.serving_usd_per_contact) + paying * col(p.fixed_cost_per_customer_usd)
    gross_margin = revenue - cost_of_revenue
    opex = col(p.opex_usd_per_month) * (1.0 + col(p.opex_growth_annual)) ** np.floor(years) + new * col(p.cac_usd)
    cash_flow = gross_margin - opex
    cash = col(p.starting_cash_usd) + np.cumsum(cash_flow, axis=1)
    exit_value = col(p.exit_revenue_multiple)[:, 0] * revenue[:, -12:].sum(axis=1)
    exit_pv = exit_value * (1.0 + p.discount_rate_annual) ** (-p.months / 12.0)
    rounds = staged_rounds(cash, revenue, p, col)
    start = col(p.starting_cash_usd)[:, 0]
    with_exit = owners_value(cash_flow, exit_pv, rounds, p.discount_rate_annual, start)
    no_exit = owners_value(cash_flow, np.zeros(draws), rounds, p.discount_rate_annual, start)
    failed = rounds.failed.any(axis=1)
    closed = rounds.closed
    kept = np.prod(np.where(closed, 1.0 - rounds.dilution, 1.0), axis=1)
    below = cash < 0
    runway = np.where(below.any(axis=1), below.argmax(axis=1), p.months + 1).astype(float)
    monthly = {
        "customers": customers,
        "paying_customers": paying,
        "contacts": contacts,
        "revenue": revenue,
        "cost_of_revenue": cost_of_revenue,
        "gross_margin": gross_margin,
        "opex": opex,
        "cash_flow": cash_flow,
        "cash": cash,
        "raised": rounds.by_month(p.months),
    }
    operating = npv(cash_flow, p.discount_rate_annual)
    return PlanResult(
        monthly=monthly,
        npv_usd=with_exit,
        npv_no_exit_usd=no_exit,
        npv_unfunded_usd=operating + exit_pv,
        npv_operating_usd=operating,
        runway_months=runway,
        min_cash_usd=cash.min(axis=1),
        funding_need_usd=np.maximum(0.0, -cash.min(axis=1)),
        dilution=np.where(failed, np.nan, 1.0 - kept),
        failed=failed,
        rounds=rounds,
        raised_usd=(np.where(closed, rounds.amount_usd, 0.0)).sum(axis=1),
    )


def yearly(table: pd.DataFrame) -> pd.DataFrame:
    """The monthly plan rolled up by year: sums of flows, end-of-year customers and cash, gross margin %."""
    grouped = table.assign(year=(table["month"] - 1) // 12 + 1).groupby("year")
    frame = grouped.agg(
        customers=("customers", "last"),
        revenue=("revenue", "sum"),
        cost_of_revenue=("cost_of_revenue", "sum"),
        gross_margin=("gross_margin", "sum"),
        opex=("opex", "sum"),
        cash_flow=("cash_flow", "sum"),
        cash=("cash", "last"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 100.0 * frame["gross_margin"] / frame["revenue"]
    frame["gross_margin_pct"] = share.where(frame["revenue"] > 0)  # no revenue: no margin (NaN), not -inf
    return frame


def in_millions(frame: pd.DataFrame, keep: tuple[str, ...] = ("customers", "gross_margin_pct")) -> pd.DataFrame:
    """USD columns divided by a million and renamed '(USD m)', for a readable table."""
    scaled = frame.copy()
    for column in frame.columns:
        if column not in keep:
            scaled[column] = frame[column] / 1e6
    return scaled.round(2).rename(columns=lambda c: c if c in keep else f"{c} (USD m)")
