"""Market sizing, training-cost scaling and the plan's inputs (per-contact costs live in `finance`)."""

from __future__ import annotations

import numpy as np


def top_down(tam_usd: float, sam_share: float, som_share: float) -> dict[str, float]:
    """TAM from a published market size; SAM = TAM x serviceable share; SOM = SAM x obtainable share."""
    sam = tam_usd * sam_share
    return {"tam_usd": tam_usd, "sam_usd": sam, "som_usd": sam * som_share}


def bottom_up(
    companies: float, contacts_per_month: float, automation_rate: float, price_usd: float, som_share: float
) -> dict[str, float]:
    """SAM = companies x contacts a year x automated share x price per resolution; SOM = SAM x our share."""
    sam = companies * contacts_per_month * 12 * automation_rate * price_usd
    return {"sam_usd": sam, "som_usd": sam * som_share}


def training_cost_from_scratch(
    parameters: np.ndarray,
    tokens_per_parameter: float,
    peak_tflops: float,
    utilisation: float,
    usd_per_gpu_hour: float,
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


def plan_inputs(config, measured, price_usd: float):
    """The five-year plan's base inputs: parameters (assumptions) plus measured model figures."""
    from startup_report.market.finance import PlanInputs

    return PlanInputs(
        months=config.months,
        starting_cash_usd=config.starting_cash_usd,
        initial_customers=config.initial_customers,
        new_customers_per_month=config.new_customers_per_month,
        sales_growth_annual=config.sales_growth_annual,
        churn_monthly=config.churn_monthly,
        contacts_per_customer_month=config.monthly_contacts,
        automation_rate=measured.automation_rate,
        automation_precision=measured.automation_precision,
        price_per_resolution_usd=price_usd,
        serving_usd_per_contact=measured.serving_cost_per_million_usd / 1e6,
        error_cost_usd=config.error_cost_usd,
        opex_usd_per_month=config.opex_usd_per_month,
        opex_growth_annual=config.opex_growth_annual,
        cac_usd=config.cac_usd,
        discount_rate_annual=config.discount_rate_annual,
        exit_revenue_multiple=config.exit_revenue_multiple,
    )
