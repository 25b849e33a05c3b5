"""The financial model: unit economics, break-even, a five-year plan, NPV and runway.

Every function works on numpy arrays, so the same code computes one scenario (scalars) or ten
thousand Monte Carlo draws at once (arrays of shape (draws, 1) broadcast against months).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

ArrayLike = float | np.ndarray


def npv(cashflows: np.ndarray, annual_rate: float, periods_per_year: int = 12) -> np.ndarray:
    """Net present value of cash flows at the end of periods 1..n, discounted at an annual rate.

    Works along the last axis, so a (draws, months) array gives one NPV per draw.
    """
    cashflows = np.asarray(cashflows, dtype=float)
    periods = np.arange(1, cashflows.shape[-1] + 1)
    factors = (1.0 + annual_rate) ** (-periods / periods_per_year)
    return (cashflows * factors).sum(axis=-1)


def payback_period(cashflows: np.ndarray) -> np.ndarray:
    """First period (1-based) at which cumulative cash flow is >= 0 after having been negative; NaN if never."""
    cumulative = np.cumsum(np.asarray(cashflows, dtype=float), axis=-1)
    reached = cumulative >= 0
    first = np.where(reached.any(axis=-1), reached.argmax(axis=-1) + 1, -1).astype(float)
    return np.where(first > 0, first, np.nan)


def contribution_margin(price: ArrayLike, variable_cost: ArrayLike) -> ArrayLike:
    """Share of the price left after variable cost: (price - cost) / price."""
    return (np.asarray(price) - np.asarray(variable_cost)) / np.asarray(price)


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


def fallback_cost_per_contact(
    automation_rate: ArrayLike,
    precision: ArrayLike,
    machine_usd: ArrayLike,
    human_usd: ArrayLike,
    error_usd: ArrayLike,
) -> ArrayLike:
    """Machine sees every contact; humans take the share it declines; its wrong answers cost the error price."""
    a, p = np.asarray(automation_rate), np.asarray(precision)
    return machine_usd + (1.0 - a) * human_usd + a * (1.0 - p) * error_usd


def cheapest_route(routes: list[Route], contacts: float) -> Route:
    return min(routes, key=lambda route: float(route.monthly_cost(contacts)))


@dataclass(frozen=True)
class PlanInputs:
    """The startup's five-year plan. Any field may be an array of shape (draws, 1) for Monte Carlo."""

    months: int
    starting_cash_usd: ArrayLike
    initial_customers: ArrayLike
    new_customers_per_month: ArrayLike
    sales_growth_annual: ArrayLike
    churn_monthly: ArrayLike
    contacts_per_customer_month: ArrayLike
    automation_rate: ArrayLike
    automation_precision: ArrayLike
    price_per_resolution_usd: ArrayLike
    serving_usd_per_contact: ArrayLike
    error_cost_usd: ArrayLike
    opex_usd_per_month: ArrayLike
    opex_growth_annual: ArrayLike
    cac_usd: ArrayLike
    discount_rate_annual: float
    exit_revenue_multiple: ArrayLike

    def with_values(self, **changes: ArrayLike) -> PlanInputs:
        return replace(self, **changes)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class PlanResult:
    monthly: dict[str, np.ndarray]  # each (draws, months) or (1, months)
    npv_usd: np.ndarray  # (draws,)
    runway_months: np.ndarray  # (draws,) months until cash < 0; months + 1 when it never runs out
    min_cash_usd: np.ndarray

    def table(self, draw: int = 0) -> pd.DataFrame:
        """One draw's plan as a monthly table."""
        frame = pd.DataFrame({name: values[draw] for name, values in self.monthly.items()})
        frame.insert(0, "month", np.arange(1, len(frame) + 1))
        return frame


def run_plan(p: PlanInputs) -> PlanResult:
    """Customers, contacts, revenue, cost of revenue, gross margin, opex, cash flow and cash, month by month.

    Operating costs are the team (growing yearly) plus the acquisition cost of every client won that month.
    We charge per automated resolution (the market's pricing model); our cost of revenue is serving
    every contact plus credits for wrong automatic answers. Humans handling the rest are the client's cost.
    NPV adds an exit value of ``exit_revenue_multiple`` x the last twelve months' revenue at the horizon.
    """
    draws = max(np.size(getattr(p, name)) for name in PlanInputs.field_names() if name != "months")

    def col(value: ArrayLike) -> np.ndarray:
        """Any input as a (draws, 1) column, so it broadcasts against months."""
        return np.broadcast_to(np.asarray(value, dtype=float).reshape(-1, 1), (draws, 1))

    months = np.arange(p.months)
    years = months / 12.0
    new = col(p.new_customers_per_month) * (1.0 + col(p.sales_growth_annual)) ** years
    retained = 1.0 - col(p.churn_monthly)[:, 0]
    customers = np.empty((draws, p.months))
    current = col(p.initial_customers)[:, 0].copy()
    for t in months:
        current = current * retained + new[:, t]
        customers[:, t] = current
    contacts = customers * col(p.contacts_per_customer_month)
    automated = contacts * col(p.automation_rate)
    revenue = automated * col(p.price_per_resolution_usd)
    cost_of_revenue = contacts * col(p.serving_usd_per_contact) + automated * (1.0 - col(p.automation_precision)) * col(
        p.error_cost_usd
    )
    gross_margin = revenue - cost_of_revenue
    acquisition = new * col(p.cac_usd)
    opex = col(p.opex_usd_per_month) * (1.0 + col(p.opex_growth_annual)) ** np.floor(years) + acquisition
    cash_flow = gross_margin - opex
    cash = col(p.starting_cash_usd) + np.cumsum(cash_flow, axis=1)
    exit_value = col(p.exit_revenue_multiple)[:, 0] * revenue[:, -12:].sum(axis=1)
    flows = cash_flow.copy()
    flows[:, -1] += exit_value
    value = npv(flows, p.discount_rate_annual)
    below = cash < 0
    runway = np.where(below.any(axis=1), below.argmax(axis=1), p.months + 1).astype(float)
    monthly = {
        "customers": customers,
        "contacts": contacts,
        "revenue": revenue,
        "cost_of_revenue": cost_of_revenue,
        "gross_margin": gross_margin,
        "opex": opex,
        "cash_flow": cash_flow,
        "cash": cash,
    }
    return PlanResult(monthly, value, runway, cash.min(axis=1))
