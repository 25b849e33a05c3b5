"""What the evaluation stage reads from the market files: every API model it prices must be listed and not retired
by `market.as_of`, and the serving machine's price comes from compute.csv with its citation."""

from __future__ import annotations

from pathlib import Path

from startup_report.engine.stage import InputError
from startup_report.market.facts import MarketDataError, citation, fact, load_facts, read_facts


def _facts(params, root: Path) -> dict:
    try:
        return load_facts(root / params.market.facts_dir)
    except MarketDataError as exc:
        raise InputError(str(exc)) from None


def check_evaluation_files(params, root: Path) -> None:
    """Both checks below on one reading of the market files: the evaluation stage's preflight."""
    facts = _facts(params, root)
    check_llm_models(params, root, facts)
    check_cpu_price_key(params, root, facts)


def check_llm_models(params, root: Path, facts: dict | None = None) -> None:
    """The evaluation stage prices these API models: each must be a row of llm_prices.csv."""
    facts = _facts(params, root) if facts is None else facts
    known = set(facts["llm_prices"]["model"]) if "llm_prices" in facts else set()
    unknown = [name for name in params.evaluation.llm_models if name not in known]
    if unknown:
        raise InputError(
            f"evaluation.llm_models: {unknown} not found in the `model` column of llm_prices.csv; "
            f"choose from: {', '.join(sorted(known))}."
        )
    from startup_report.market.llm import check_not_retired

    prices = _facts(params, root)["llm_prices"]
    for name in params.evaluation.llm_models:  # a model retired by the report's date is never priced
        try:
            check_not_retired(prices, name, params.market.as_of, field="evaluation.llm_models")
        except MarketDataError as exc:
            raise InputError(str(exc)) from None


def check_cpu_price_key(params, root: Path, facts: dict | None = None) -> None:
    """The evaluation stage prices serving with this compute.csv row (unless a price overrides it)."""
    if params.evaluation.cpu_usd_per_hour is not None:
        return
    compute = (_facts(params, root) if facts is None else facts).get("compute")
    keys = set(compute["key"]) if compute is not None else set()
    if params.evaluation.cpu_price_key not in keys:
        hourly = sorted(key for key in keys if "per_hour" in key)
        raise InputError(
            f"evaluation.cpu_price_key: {params.evaluation.cpu_price_key!r} is not a key of compute.csv in "
            f"{params.market.facts_dir}; use one of {hourly} or set evaluation.cpu_usd_per_hour to a price."
        )


def hourly_price(compute_csv: Path, key: str, override: float | None = None) -> tuple[float, str]:
    """The serving machine's USD per hour and where it comes from: the override (an assumption) or the
    sourced row ``key`` of compute.csv, with its citation."""
    if override is not None:
        return float(override), "assumption (evaluation.cpu_usd_per_hour)"
    row = fact({"compute": read_facts(Path(compute_csv))}, "compute", key)
    return float(row["value"]), citation(row)
