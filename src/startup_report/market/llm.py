"""The LLM API route from evidence: list prices with prompt caching and batch discounts, retirement dates,
and the accuracy published for this dataset.

A classification prompt repeats the intent list on every call, so the cached-input price, not the list
input price, decides what an LLM route costs when the vendor caches the prompt prefix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from startup_report.market.facts import NO_RETIREMENT, MarketDataError, parse_date


class RetiredModelError(MarketDataError):
    """The chosen API model is retired on the date the prices are read as of."""


@dataclass(frozen=True)
class Tokens:
    """Tokens of one routing call: the static (cacheable) prompt prefix, the rest of the input, the visible
    output, and the hidden reasoning a reasoning model bills as output."""

    prefix: float
    rest: float
    output: float
    reasoning: float = 0.0


def tokens(
    input_mean: float, output_mean: float, prompt: float, examples: float = 0, retrieved: bool = False,
    reasoning: float = 0.0,
) -> Tokens:
    """Split the measured mean input tokens into the intent-list prefix (``prompt``, the same on every call,
    counted by evaluation with the tokenizer, which the market stage need not load) and the message.

    ``examples`` labelled examples in the prompt (the published method's) each cost one message and one label:
    the same ones on every call join the cacheable prefix, retrieved ones (chosen per message) do not.
    """
    prefix = min(float(prompt), input_mean)
    message = input_mean - prefix
    shots = float(examples) * (message + output_mean)
    if retrieved:
        return Tokens(prefix=prefix, rest=message + shots, output=output_mean, reasoning=reasoning)
    return Tokens(prefix=prefix + shots, rest=message, output=output_mean, reasoning=reasoning)


def price_table(prices: pd.DataFrame, discounts: pd.DataFrame) -> pd.DataFrame:
    """One row per model: input, cached input (input when none is listed), output, batch discount, dates."""
    wide = prices.pivot_table(index=["vendor", "model"], columns="direction", values="value", aggfunc="first")
    wide = wide.dropna(subset=["input", "output"])
    if "cached_input" not in wide:
        wide["cached_input"] = float("nan")
    if "reasoning" not in prices:
        prices = prices.assign(reasoning="not stated")
    meta = prices.groupby(["vendor", "model"]).agg(
        published=("published", "max"), read=("read", "max"), retires=("retires", "max"), reasoning=("reasoning", "max")
    )
    table = wide.join(meta).reset_index()
    table["cache_listed"] = table["cached_input"].notna()
    table["cached_input"] = table["cached_input"].fillna(table["input"])
    batch = discounts[discounts["discount"] == "batch"].set_index("vendor")["value"]
    table["batch_discount_pct"] = table["vendor"].map(batch).fillna(0.0)
    table["retires"] = table["retires"].fillna("")
    return table


def reasons(row: pd.Series) -> bool:
    """Whether the model's price row says it reasons (its hidden reasoning tokens are billed as output)."""
    return str(row.get("reasoning", "")).strip().lower() == "yes"


def usd_per_message(row: pd.Series, t: Tokens, caching: bool, batch: bool) -> float:
    """One routing call: prefix at the cached price when caching, message at input, answer (and, for a model
    that reasons, its reasoning tokens) at output."""
    prefix_price = row["cached_input"] if caching else row["input"]
    output = t.output + (t.reasoning if reasons(row) else 0.0)
    usd = (t.prefix * prefix_price + t.rest * row["input"] + output * row["output"]) / 1e6
    return float(usd * (1.0 - row["batch_discount_pct"] / 100.0)) if batch else float(usd)


def retirement_dates(prices: pd.DataFrame) -> list[dt.date | None]:
    """Each row's retirement date (None where blank), to compare as dates, never as text (``2026-2-1`` sorts after
    ``2026-11-26`` as text). RetiredModelError naming the row for a value that is no ISO date (``soon-ish``)."""
    dates: list[dt.date | None] = []
    for index, row in prices.iterrows():
        value = row["retires"]
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() in ("", NO_RETIREMENT):
            dates.append(None)
            continue
        try:
            dates.append(parse_date(str(value)))
        except ValueError as exc:
            where = f"row {row['key']!r}" if "key" in row else f"model {row.get('model', index)!r}"
            raise RetiredModelError(
                f"llm_prices.csv {where}, column 'retires': {exc}; write the retirement date as YYYY-MM-DD, or "
                f"{NO_RETIREMENT!r} when none is announced."
            ) from None
    return dates


def priced(table: pd.DataFrame, t: Tokens, as_of: str) -> pd.DataFrame:
    """USD per million messages for every model not retired by ``as_of``: list, cached, cached + batch."""
    day = parse_date(str(as_of))
    live = table[[d is None or d > day for d in retirement_dates(table)]].copy()
    for name, caching, batch in (("list", False, False), ("cached", True, False), ("cached_batch", True, True)):
        live[f"usd_per_million_{name}"] = [1e6 * usd_per_message(r, t, caching, batch) for _, r in live.iterrows()]
    return live.sort_values("usd_per_million_cached").reset_index(drop=True)


def check_not_retired(prices: pd.DataFrame, model: str, as_of: str, field: str = "market.llm_model") -> None:
    """Refuse a model whose row carries a retirement date on or before ``as_of``, naming the row."""
    day = parse_date(str(as_of))
    retired = prices[[d is not None and d <= day for d in retirement_dates(prices)]]
    gone = retired[retired["model"] == model]
    if len(gone):
        row = gone.iloc[0]
        live = sorted(set(prices["model"]) - set(retired["model"]))
        raise RetiredModelError(
            f"{field}: {model!r} retires on {row['retires']} (llm_prices.csv row {row['key']!r}), on or before "
            f"market.as_of = {as_of}. Choose a current model, e.g. {', '.join(live[:6])}."
        )


def accuracy(results: pd.DataFrame, key: str) -> float:
    """A published BANKING77 accuracy as a fraction."""
    rows = results[results["key"] == key]
    if rows.empty:
        raise MarketDataError(f"market.llm_accuracy_key: {key!r} is not in banking77_results.csv")
    return float(rows.iloc[0]["value"]) / 100.0


def evidence_table(results: pd.DataFrame, ours: dict[str, float]) -> pd.DataFrame:
    """Published results comparable with accuracy (accuracy or micro-F1: model, labels per intent, method, test
    set, date, source, peer review) beside our measured ones; macro-F1 rows stay in the data file."""
    rows = results[results["measure"].isin(["accuracy", "micro_f1"])] if "measure" in results else results
    published = rows.assign(
        measure=rows.get("measure", "accuracy"),
        peer_reviewed=rows.get("peer_reviewed", "").astype(str).str.lower().map({"true": "yes", "false": "no"}),
    )[["model", "labels_per_intent", "method", "measure", "value", "test_set", "peer_reviewed", "published",
       "publisher", "url"]].rename(columns={"value": "accuracy (%)"})
    own = pd.DataFrame(
        [
            {"model": f"ours: {m}", "labels_per_intent": "full", "method": "measured in this run",
             "measure": "accuracy", "accuracy (%)": 100 * a}
            for m, a in ours.items()
        ]
    )
    return pd.concat([own, published], ignore_index=True).round(2)
