"""The chain's data, training and evaluation figures (and the math chapter's): labelled axes, page width."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from startup_report.report.axes import labelled, log_log_lines

PAGE_WIDTH = 8.0
sns.set_theme(context="notebook", style="whitegrid")


def class_distribution(counts: pd.DataFrame) -> Figure:
    """Examples per intent in each split, intents sorted by training count."""
    order = counts[counts["split"] == "train"].sort_values("count", ascending=False)["label"].tolist()
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.6))
    pivot = counts.pivot_table(index="label", columns="split", values="count", fill_value=0).reindex(order)
    x = np.arange(len(order))
    bottom = np.zeros(len(order))
    for split in ("train", "validation", "test"):
        if split in pivot:
            ax.bar(x, pivot[split].to_numpy(), bottom=bottom, width=0.9, label=split)
            bottom += pivot[split].to_numpy()
    ax.set_xlim(-0.5, len(order) - 0.5)
    ax.set_xticks([])
    xlabel = f"intent ({len(order)} classes, sorted by training examples)"
    legend = {"title": "split", "loc": "upper right"}
    return labelled(fig, ax, xlabel, "messages (count)", "Class balance per split", legend)


def text_lengths(frames: Mapping[str, pd.Series]) -> Figure:
    """Distribution of message length in words, per split."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.0))
    longest = max(int(texts.str.split().str.len().max()) for texts in frames.values())
    bins = np.arange(0, longest + 3, 2)  # explicit edges: a dataset of equal-length messages still plots
    for name, texts in frames.items():
        lengths = texts.str.split().str.len()
        sns.histplot(lengths, bins=bins, stat="density", element="step", fill=False, label=name, ax=ax)
    ylabel = "share of messages (density)"
    return labelled(fig, ax, "message length (words)", ylabel, "Message length per split", {"title": "split"})


def risk_coverage(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], target: float | None = None) -> Figure:
    """Accuracy of the auto-answered messages against the share answered, one line per model."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    for name, (coverage, acc) in curves.items():
        ax.plot(coverage, acc, label=name)
    if target is not None:
        ax.axhline(target, color="grey", linestyle="--", label=f"target precision {target:.0%}")
    ax.set_xlim(0, 1)
    return labelled(
        fig,
        ax,
        "coverage: share of messages answered automatically (fraction)",
        "precision of automatic answers (fraction)",
        "Coverage against precision (test set)",
        {"loc": "lower left"},
    )


FAMILY_ORDER = ("classical", "scratch", "frozen", "finetuned", "setfit", "ensemble")


def budget_axis(budget: str, full_examples: float) -> float:
    """Examples per intent for the x-axis: the full budget sits at its mean examples per intent."""
    return full_examples if budget == "full" else float(budget)


def reliability_diagram(tables: Mapping[str, pd.DataFrame], ece: Mapping[str, float]) -> Figure:
    """Accuracy against confidence per bin, before and after temperature scaling; the diagonal is honest."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.7, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfectly calibrated")
    for name, table in tables.items():
        ax.plot(table["confidence"], table["accuracy"], marker="o", label=f"{name} (ECE {ece[name]:.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return labelled(
        fig,
        ax,
        "mean confidence in bin (top-class probability)",
        "accuracy in bin (fraction)",
        "Reliability diagram (test set)",
        {"loc": "upper left", "fontsize": 8},
    )


def confusion_heatmap(matrix: pd.DataFrame) -> Figure:
    """Counts of true (rows) against predicted (columns) intents, restricted to the worst intents."""
    size = max(4.0, 0.32 * len(matrix) + 2.5)
    fig, ax = plt.subplots(figsize=(min(PAGE_WIDTH, size + 1.5), size))
    sns.heatmap(
        matrix,
        annot=True,
        fmt="d",
        cmap="Reds",
        cbar_kws={"label": "test messages (count)"},
        ax=ax,
        annot_kws={"fontsize": 7},
    )
    ax.tick_params(labelsize=7)
    return labelled(fig, ax, "predicted intent", "true intent", "Confusions among the worst intents")


def serving_cost(table: pd.DataFrame) -> Figure:
    """USD per million messages: our models on a rented CPU against LLM APIs (log scale)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, max(3.0, 0.3 * len(table) + 1.2)))
    sns.barplot(data=table, x="usd_per_million_messages", y="route", hue="kind", dodge=False, ax=ax, orient="h")
    ax.set_xscale("log")
    xlabel = "cost per million messages (USD, log scale)"
    return labelled(fig, ax, xlabel, "", "Serving cost: own model on a CPU vs LLM API", {"title": "", "fontsize": 8})


def market_estimates(sizes: pd.DataFrame) -> Figure:
    """Published market-size estimates by segment and year, one marker per publisher (log scale)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 4.4))
    sns.scatterplot(data=sizes, x="year", y="value", hue="segment", style="segment", s=70, ax=ax)
    for row in sizes.itertuples():
        ax.annotate(
            str(row.publisher)[:22], (row.year, row.value), fontsize=6, xytext=(4, 2), textcoords="offset points"
        )
    ax.set_yscale("log")
    return labelled(
        fig,
        ax,
        "year the estimate refers to",
        "market size (USD billion, log scale)",
        "Published market-size estimates disagree",
        {"fontsize": 7, "title": "segment", "loc": "upper left"},
    )


def price_landscape(prices: pd.DataFrame) -> Figure:
    """List price per million input tokens against publication date, by vendor (log scale)."""
    frame = prices[prices["direction"] == "input"].copy()
    frame["date"] = pd.to_datetime(
        frame["published"].str.pad(10, "right", "-").str.replace(r"-+$", "", regex=True),
        format="mixed",
        errors="coerce",
    )
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    sns.scatterplot(data=frame.dropna(subset=["date"]), x="date", y="value", hue="vendor", s=60, ax=ax)
    ax.set_yscale("log")
    return labelled(
        fig,
        ax,
        "publication date of the price",
        "input price (USD per million tokens, log)",
        "LLM API list prices by vendor and date",
        {"fontsize": 7, "title": "vendor"},
    )


def break_even(volumes: np.ndarray, costs: Mapping[str, np.ndarray], marker: float | None = None) -> Figure:
    """Monthly cost of each route against a client's monthly contacts (log-log); the lowest line wins."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    log_log_lines(ax, volumes, costs)
    if marker is not None:
        ax.axvline(marker, color="grey", linestyle=":", label="volume assumed in this report")
    return labelled(
        fig,
        ax,
        "customer contacts per month (log scale)",
        "cost per month (USD, log scale)",
        "Which route is cheapest at which volume",
        {"fontsize": 8},
    )


def build_vs_buy(sizes: np.ndarray, routes: Mapping[str, np.ndarray]) -> Figure:
    """One-off or yearly cost of each route against model size (log-log)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    log_log_lines(ax, sizes, routes)
    xlabel = "model size (parameters, log scale)"
    return labelled(fig, ax, xlabel, "cost (USD, log scale)", "Build, fine-tune or rent", {"fontsize": 8})


def plan_lines(table: pd.DataFrame) -> Figure:
    """Revenue, cost of revenue and opex per month, with cash on a second axis."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for column, label in (("revenue", "revenue"), ("cost_of_revenue", "cost of revenue"), ("opex", "operating costs")):
        ax.plot(table["month"], table[column] / 1e3, label=label)
    cash_ax = ax.twinx()
    cash_ax.plot(table["month"], table["cash"] / 1e6, color="black", linestyle="--", label="cash (right)")
    cash_ax.set_ylabel("cash (USD million)")
    cash_ax.grid(False)
    handles = ax.get_legend_handles_labels()[0] + cash_ax.get_legend_handles_labels()[0]
    legend = {"handles": handles, "labels": [h.get_label() for h in handles], "fontsize": 8, "loc": "upper left"}
    return labelled(fig, ax, "month", "USD thousand per month", "Five-year plan, base case", legend)


def cash_fan(fan_table: pd.DataFrame) -> Figure:
    """Cash over time across Monte Carlo draws: median line, 50% and 90% bands."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.6))
    m = fan_table["month"]
    ax.fill_between(m, fan_table["q05"] / 1e6, fan_table["q95"] / 1e6, alpha=0.2, label="90% of draws")
    ax.fill_between(m, fan_table["q25"] / 1e6, fan_table["q75"] / 1e6, alpha=0.4, label="50% of draws")
    ax.plot(m, fan_table["q50"] / 1e6, color="black", label="median")
    ax.axhline(0, color="red", linewidth=1)
    legend = {"fontsize": 8, "loc": "upper left"}
    return labelled(fig, ax, "month", "cash (USD million)", "Cash across Monte Carlo draws", legend)


def tornado(table: pd.DataFrame) -> Figure:
    """NPV swing when one input moves from its low to its high end, others at base."""
    base = table.attrs.get("base_npv", 0.0) / 1e6
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, max(3.0, 0.45 * len(table) + 1.2)))
    y = np.arange(len(table))[::-1]
    low, high = table["npv_at_low"] / 1e6, table["npv_at_high"] / 1e6
    ax.barh(y, low - base, left=base, color="tab:red", label="input at its low end")
    ax.barh(y, high - base, left=base, color="tab:green", label="input at its high end")
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(y, table["input"])
    xlabel = "net present value (USD million); line = base case"
    return labelled(fig, ax, xlabel, None, "What moves the NPV most", {"fontsize": 8})


def activation_curves(z: np.ndarray, curves: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """Each activation (left) and its derivative (right) over ``z``: what backpropagation multiplies by."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.2), sharex=True)
    for name, (value, derivative) in curves.items():
        left.plot(z, value, label=name)
        right.plot(z, derivative, label=name)
    left.set_ylabel("activation f(z)")
    right.set_ylabel("derivative f′(z)")
    for ax in (left, right):
        ax.set_xlabel("pre-activation z")
        ax.axhline(0, color="grey", linewidth=0.6)
    left.legend(fontsize=8, loc="upper left")
    fig.suptitle("Activation functions and their derivatives")
    fig.tight_layout()
    return fig
