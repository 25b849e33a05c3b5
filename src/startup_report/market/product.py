"""The product we sell, priced: a router that resolves template intents and hands the rest to the right agent.

A confident prediction of an intent a template can resolve counts as an automated resolution; a confident
prediction of any other intent is a routed contact (an agent takes it, with the intent attached); an
unconfident one goes to the general queue. Which intent is which comes from a labelled assumption file.
Routed contacts earn the sourced saving of correct routing (avoided transfers), not a whole contact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.market.facts import MarketDataError

CLASSES = ("template", "agent_action", "escalate")
COLUMNS = ("intent", "resolution_class", "reason")


class AssumptionError(MarketDataError):
    """A malformed assumption file; the message names the file, row and column and the fix."""


def read_intent_classes(path: Path) -> pd.DataFrame:
    """The intent -> resolution-class file, validated: one row per intent, a known class, a reason."""
    if not Path(path).is_file():
        raise AssumptionError(f"{path}: not found. Set market.intent_classes_file to a CSV with columns {COLUMNS}.")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise AssumptionError(f"{path}: missing columns {missing}; the file needs {list(COLUMNS)}.")
    for i, row in frame.iterrows():
        where = f"{path}: row {int(i) + 2}"
        if row["resolution_class"] not in CLASSES:
            raise AssumptionError(
                f"{where}, column 'resolution_class': {row['resolution_class']!r} is not one of {CLASSES}."
            )
        if not row["intent"].strip() or not row["reason"].strip():
            raise AssumptionError(f"{where}: 'intent' and 'reason' must not be blank (say why in one line).")
    duplicated = frame["intent"][frame["intent"].duplicated()].tolist()
    if duplicated:
        raise AssumptionError(f"{path}: intents listed twice: {duplicated}; keep one row per intent.")
    return frame


def class_of(intents: pd.Series, classes: pd.DataFrame, default: str) -> pd.Series:
    """Resolution class per intent; intents the file does not list get ``default``."""
    return intents.map(dict(zip(classes["intent"], classes["resolution_class"], strict=True))).fillna(default)


@dataclass(frozen=True)
class Shares:
    """What happens to the contacts: shares of all contacts and the precision within each."""

    resolved: float  # answered automatically by a template
    resolved_precision: float
    routed: float  # handed to an agent with the intent attached
    routed_precision: float
    unrouted: float  # general queue


def _precision(correct: pd.Series) -> float:
    return float(correct.mean()) if len(correct) else 1.0


def measured_shares(predictions: pd.DataFrame, threshold: float, classes: pd.DataFrame, default: str) -> Shares:
    """Shares from the production model's test predictions (label, predicted, confidence) at its threshold."""
    confident = predictions["confidence"] >= threshold
    return _shares(confident, predictions["predicted"], predictions["label"] == predictions["predicted"], classes,
                   default)


def open_world_shares(predictions: pd.DataFrame, classes: pd.DataFrame, default: str) -> Shares:
    """Shares from the open-world predictions (automated, predicted, correct; every seed's rows): a message of
    an unknown intent that was answered is a wrong answer, routed or resolved."""
    return _shares(predictions["automated"], predictions["predicted"], predictions["correct"], classes, default)


def _shares(confident: pd.Series, predicted: pd.Series, correct: pd.Series, classes: pd.DataFrame,
            default: str) -> Shares:
    template = class_of(predicted, classes, default) == "template"
    resolved, routed = confident & template, confident & ~template
    return Shares(
        resolved=float(resolved.mean()),
        resolved_precision=_precision(correct[resolved]),
        routed=float(routed.mean()),
        routed_precision=_precision(correct[routed]),
        unrouted=float((~confident).mean()),
    )


def llm_shares(labels: pd.Series, classes: pd.DataFrame, default: str, accuracy: float) -> Shares:
    """An LLM answers every message (no calibrated abstention is published): template intents are resolved,
    the rest routed, all at the published accuracy."""
    template = float((class_of(labels, classes, default) == "template").mean())
    return Shares(template, accuracy, 1.0 - template, accuracy, 0.0)


def class_mix(labels: pd.Series, classes: pd.DataFrame, default: str) -> pd.Series:
    """Share of test messages per resolution class (by true intent)."""
    return class_of(labels, classes, default).value_counts(normalize=True).reindex(list(CLASSES), fill_value=0.0)


def routing_saving(human_usd: float, transfer_rate: float, transfer_cost_share: float, precision: float) -> float:
    """Saving per routed contact: a right route avoids the usual transfer, a wrong one causes one.

    precision x transfer_rate x cost of a transfer - (1 - precision) x cost of a transfer, where a transfer
    costs ``transfer_cost_share`` of a contact.
    """
    transfer = transfer_cost_share * human_usd
    return precision * transfer_rate * transfer - (1.0 - precision) * transfer


def cost_per_contact(
    shares: Shares, machine_usd: float, human_usd: float, error_usd: float, transfer_rate: float, transfer_share: float
) -> float:
    """Variable cost of one contact on a router route: machine + humans for what is not resolved + wrong
    answers - the saving of the routed contacts."""
    saving = routing_saving(human_usd, transfer_rate, transfer_share, shares.routed_precision)
    return float(
        machine_usd
        + (1.0 - shares.resolved) * human_usd
        + shares.resolved * (1.0 - shares.resolved_precision) * error_usd
        - shares.routed * saving
    )


def shares_table(ours: Shares, llm: Shares, our_name: str, llm_name: str) -> pd.DataFrame:
    """Side-by-side shares and precisions of the two routers, for the book."""
    rows = []
    for name, s in ((our_name, ours), (llm_name, llm)):
        rows.append(
            {
                "router": name,
                "resolved by template (share)": s.resolved,
                "precision of resolutions": s.resolved_precision,
                "routed to an agent (share)": s.routed,
                "precision of routing": s.routed_precision,
                "general queue (share)": s.unrouted,
            }
        )
    return pd.DataFrame(rows).round(4)


def automated_share_check(shares: Shares, automation_rate: float, tolerance: float = 0.02) -> None:
    """The predictions must agree with metrics.json: confident share = the measured automation rate (of the
    world the market prices)."""
    confident = shares.resolved + shares.routed
    if not np.isclose(confident, automation_rate, atol=tolerance):
        raise ValueError(
            f"predictions.parquet gives a confident share of {confident:.3f} but metrics.json an automation rate "
            f"of {automation_rate:.3f}: the evaluation outputs disagree; rerun the evaluation stage."
        )


def breakeven_accuracy(
    labels: pd.Series,
    classes: pd.DataFrame,
    default: str,
    own_usd_per_contact: float,
    llm_fixed_per_contact: float,
    cost: Callable[[Shares], float],
) -> float:
    """The LLM accuracy at which its route costs the client as much per contact as ours.

    The LLM route's cost per contact is linear in its accuracy (``llm_shares``), so two evaluations solve it.
    Above 1: no accuracy lets the LLM match us; below 0: it is cheaper even when always wrong.
    """
    at_zero = llm_fixed_per_contact + cost(llm_shares(labels, classes, default, 0.0))
    at_one = llm_fixed_per_contact + cost(llm_shares(labels, classes, default, 1.0))
    if at_zero == at_one:
        return float("inf") if at_one > own_usd_per_contact else float("-inf")
    return (at_zero - own_usd_per_contact) / (at_zero - at_one)
