"""The evaluation chapter's summary values, worded from the hand-off: what the book's pages glue.

Formatting lives here, beside the numbers, so a page and the chapter's own summary print the same text.
"""

from __future__ import annotations

import pandas as pd

from startup_report.evaluation.handoff import EvaluationMetrics


def _range(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1%} to {pair[1]:.1%}"


def values(result: EvaluationMetrics, cpu_source: str, n_intents: int, api: pd.DataFrame) -> dict[str, object]:
    """Glue names and their text; ``api`` is `llmcost.api_costs`'s table, cheapest first (may be empty)."""
    cheapest = api.iloc[0] if len(api) else None
    return {
        "production_model": result.model,
        "accuracy": f"{result.accuracy:.1%}",
        "accuracy_ci": _range(result.accuracy_ci),
        "macro_f1": f"{result.macro_f1:.3f}",
        "n_test": result.n_test,
        "ece_before": f"{result.ece_before:.3f}",
        "ece_after": f"{result.ece:.3f}",
        "target_precision": f"{result.target_precision:.0%}",
        "automation_rate": f"{result.automation_rate:.1%}",
        "automation_rate_ci": _range(result.automation_rate_ci),
        "automation_precision": f"{result.automation_precision:.1%}",
        "latency_p50": f"{result.latency_ms_p50:.1f} ms",
        "latency_p95": f"{result.latency_ms_p95:.1f} ms",
        "throughput": f"{result.throughput_per_s:.0f}",
        "serving_cost": f"${result.serving_cost_per_million_usd:.2f}",
        "cpu_price": f"${result.cpu_usd_per_hour:.4f}",
        "cpu_source": cpu_source,
        "n_intents": n_intents,
        "prompt_tokens": f"{result.llm_tokens_per_message:.0f}",
        "cheapest_api": cheapest["model"] if cheapest is not None else "none listed",
        "cheapest_api_cost": f"${cheapest['usd_per_million_messages']:.0f}" if cheapest is not None else "n/a",
    }
