"""The LLM rival from evidence: published BANKING77 results of LLMs beside ours at the same number of labels
per intent, and each published figure against the break-even accuracy, so that a reader sees whether the
recommendation holds or flips for every measured LLM, not only the one the model prices.

Micro-F1 over single-label answers equals accuracy when every message gets one label (the papers' setting),
so micro-F1 rows are compared with accuracies; macro-F1 rows are shown, never compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from startup_report.market.facts import MarketDataError

FULL_LABELS = 130  # BANKING77's training split has about 130 labelled messages per intent
COMPARABLE = ("accuracy", "micro_f1")


def _labels(value: object) -> float:
    text = str(value).strip()
    return float(FULL_LABELS) if text == "full" else float(text)


def llm_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The LLM results that can stand in for accuracy (accuracy or micro-F1), with labels per intent as numbers."""
    rows = results[(results["kind"] == "llm") & results["measure"].isin(COMPARABLE)].copy()
    rows["labels"] = rows["labels_per_intent"].map(_labels)
    rows["peer_reviewed"] = rows["peer_reviewed"].astype(str).str.lower() == "true"
    return rows


def prompt_of(results: pd.DataFrame, key: str) -> tuple[int, bool]:
    """How many labelled examples the published method puts in each prompt, and whether they are retrieved per
    message (then they cannot be cached) or the same on every call."""
    rows = results[results["key"] == key]
    if rows.empty:
        raise MarketDataError(f"market.llm_accuracy_key: {key!r} is not in banking77_results.csv")
    row = rows.iloc[0]
    examples = str(row.get("prompt_examples", "")).strip()
    return (int(float(examples)) if examples not in ("", "nan") else 0,
            str(row.get("retrieved", "")).strip().lower() == "true")


def our_curve(training: pd.DataFrame | None, models: list[str]) -> pd.DataFrame:
    """Our mean test accuracy at each label budget (results.csv of the training stage), for the given models."""
    if training is None or training.empty:
        return pd.DataFrame(columns=["model", "labels", "accuracy"])
    rows = training[training["model"].isin(models)]
    frame = rows.groupby(["model", "budget"], as_index=False)["accuracy"].mean()
    frame["labels"] = frame["budget"].map(_labels)
    return frame[["model", "labels", "accuracy"]].sort_values(["labels", "model"]).reset_index(drop=True)


def like_for_like(results: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """At each of our label budgets: our accuracy and the best peer-reviewed LLM figure that used no more labels
    per intent (none: no such measurement was found)."""
    llms = llm_rows(results)
    llms = llms[llms["peer_reviewed"]]
    table = []
    for _, own in ours.iterrows():
        allowed = llms[llms["labels"] <= own["labels"]]
        best = allowed.sort_values("value", ascending=False).head(1)
        table.append({
            "labels per intent": "full (about 130)" if own["labels"] == FULL_LABELS else f"{own['labels']:.0f}",
            "our model": own["model"],
            "our accuracy (%)": 100 * own["accuracy"],
            "best peer-reviewed LLM at no more labels": best["model"].iloc[0] if len(best) else "none found",
            "its labels per intent": best["labels"].iloc[0] if len(best) else np.nan,
            "its method": best["method"].iloc[0] if len(best) else "",
            "LLM accuracy (%)": best["value"].astype(float).iloc[0] if len(best) else np.nan,
        })
    return pd.DataFrame(table).round(1)


def breakeven_table(results: pd.DataFrame, breakeven: float | None, used_key: str) -> pd.DataFrame:
    """Every published LLM figure (accuracy or micro-F1) against the break-even accuracy: above it the LLM route
    costs the client less than ours and the recommendation flips."""
    rows = llm_rows(results)
    finite = breakeven is not None and np.isfinite(breakeven)

    def verdict(value: float) -> str:
        if not finite:
            return "no break-even"
        return "flips: the LLM route is cheaper" if value / 100 >= breakeven else "holds: ours is cheaper"

    table = pd.DataFrame({
        "model": rows["model"],
        "labels per intent": rows["labels"],
        "method": rows["method"],
        "accuracy or micro-F1 (%)": rows["value"].astype(float),
        "peer-reviewed": np.where(rows["peer_reviewed"], "yes", "no (hobby benchmark)"),
        "published": rows["published"].astype(str),
        "break-even (%)": 100 * breakeven if finite else np.nan,
        "recommendation": [verdict(float(v)) for v in rows["value"]],
        "used here": np.where(rows["key"] == used_key, "yes", ""),
        "publisher": rows["publisher"],
        "url": rows["url"],
    })
    return table.sort_values(["peer-reviewed", "accuracy or micro-F1 (%)"], ascending=[False, False]).reset_index(
        drop=True
    ).round(1)


def breakeven_sentence(table: pd.DataFrame, breakeven: float | None, model: str) -> str:
    """How many published LLM figures sit above the break-even, worded from the table."""
    if breakeven is None or not np.isfinite(breakeven):
        return "No LLM accuracy makes the LLM route cost the client what ours does on these prices"
    if breakeven > 1:
        return (f"Even a perfect LLM would cost the client more per contact than our router (break-even "
                f"{breakeven:.0%}), so no published figure can flip the recommendation")
    if breakeven < 0:
        return "The LLM route costs the client less than ours at any accuracy on these prices"
    reviewed = table[table["peer-reviewed"] == "yes"]
    above = reviewed[reviewed["recommendation"].str.startswith("flips")]
    best = reviewed.iloc[0] if len(reviewed) else None
    text = (f"The LLM route ({model}) costs the client what ours does at {breakeven:.1%} accuracy; "
            f"{len(above)} of {len(reviewed)} peer-reviewed LLM figures reach it")
    if best is not None:
        text += (f" (the best, {best['model']} with {best['labels per intent']:.0f} labels per intent, "
                 f"{best['accuracy or micro-F1 (%)']:.1f}%)")
    return text


def llm_source(results: pd.DataFrame, key: str) -> str:
    """Which published measurement the LLM route's accuracy is: model, labels per intent, method, measure, test
    set, who and when, and whether it was peer-reviewed."""
    row = results.set_index("key").loc[key]
    measure = {"micro_f1": "micro-F1", "macro_f1": "macro-F1"}.get(str(row.get("measure", "")), "accuracy")
    review = "peer-reviewed" if str(row.get("peer_reviewed", "")).lower() == "true" else "not peer-reviewed"
    labels = str(row["labels_per_intent"])
    return (f"{row['model']} with {labels} labelled example{'' if labels == '1' else 's'} per intent ({row['method']}; "
            f"{measure} on {row['test_set']}), {row['publisher']}, {row['published']}, {review}")


#: The dataset every accuracy in banking77_results.csv was measured on.
RESULTS_DATASET = "banking77"


def llm_basis(dataset: str) -> str:
    """Whether the LLM route's accuracy was measured on the report's dataset or stands in for it."""
    if dataset.strip().lower() == RESULTS_DATASET:
        return "the accuracy published for this dataset"
    return (f"the accuracy published for BANKING77 as a proxy (an assumption: banking77_results.csv holds no LLM "
            f"accuracy on {dataset}, the dataset this report measured)")


def published_accuracy(inp) -> float:
    """The LLM's published accuracy on the dataset (its open-world share of right answers is lower)."""
    from startup_report.market.llm import accuracy

    return accuracy(inp.facts["banking77_results"], inp.config.llm_accuracy_key)


def prompt_text(tokens, examples: int, retrieved: bool, reasons: bool) -> str:
    """The priced routing call in words: input tokens (cacheable part), the published method's examples,
    output and, for a model that reasons, the reasoning tokens billed as output."""
    shown = (f"the {examples} most similar labelled examples, retrieved per message" if retrieved
             else f"{examples} labelled examples, the same on every call" if examples else "no labelled examples")
    text = (f"{tokens.prefix + tokens.rest:,.0f} input tokens a message ({tokens.prefix:,.0f} of them the same on "
            f"every call and billed at the cached price), with {shown}, and {tokens.output:.0f} output tokens")
    if reasons and tokens.reasoning:
        return text + f", plus {tokens.reasoning:,.0f} reasoning tokens billed as output (the model reasons)"
    return text + "; no reasoning tokens are counted (its price row does not say it reasons)"
