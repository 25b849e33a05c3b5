"""The chain's data, training and evaluation figures (and the math chapter's): labelled axes, page width."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

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
    ax.set_xlabel(f"intent ({len(order)} classes, sorted by training examples)")
    ax.set_ylabel("messages (count)")
    ax.set_title("Class balance per split")
    ax.legend(title="split", loc="upper right")
    fig.tight_layout()
    return fig


def text_lengths(frames: Mapping[str, pd.Series]) -> Figure:
    """Distribution of message length in words, per split."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.0))
    longest = max(int(texts.str.split().str.len().max()) for texts in frames.values())
    bins = np.arange(0, longest + 3, 2)  # explicit edges: a dataset of equal-length messages still plots
    for name, texts in frames.items():
        lengths = texts.str.split().str.len()
        sns.histplot(lengths, bins=bins, stat="density", element="step", fill=False, label=name, ax=ax)
    ax.set_xlabel("message length (words)")
    ax.set_ylabel("share of messages (density)")
    ax.set_title("Message length per split")
    ax.legend(title="split")
    fig.tight_layout()
    return fig


def risk_coverage(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], target: float | None = None) -> Figure:
    """Accuracy of the auto-answered messages against the share answered, one line per model."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    for name, (coverage, acc) in curves.items():
        ax.plot(coverage, acc, label=name)
    if target is not None:
        ax.axhline(target, color="grey", linestyle="--", label=f"target precision {target:.0%}")
    ax.set_xlabel("coverage: share of messages answered automatically (fraction)")
    ax.set_ylabel("precision of automatic answers (fraction)")
    ax.set_xlim(0, 1)
    ax.set_title("Coverage against precision (test set)")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


FAMILY_ORDER = ("classical", "scratch", "frozen", "finetuned", "setfit", "ensemble")


def budget_axis(budget: str, full_examples: float) -> float:
    """Examples per intent for the x-axis: the full budget sits at its mean examples per intent."""
    return full_examples if budget == "full" else float(budget)


def data_scaling(summary: pd.DataFrame, published: pd.DataFrame | None, full_examples: float) -> Figure:
    """Accuracy against examples per intent (log scale), mean ± sd over seeds, one line per model."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 4.2))
    palette = dict(zip(FAMILY_ORDER, sns.color_palette("colorblind", len(FAMILY_ORDER)), strict=True))
    styles = ["-", "--", ":"]
    for (family, model), group in summary.groupby(["family", "model"], sort=False):
        x = group["budget"].map(lambda b: budget_axis(b, full_examples)).to_numpy()
        order = np.argsort(x)
        x, mean, sd = x[order], group["accuracy_mean"].to_numpy()[order], group["accuracy_sd"].to_numpy()[order]
        style = styles[sorted(summary[summary["family"] == family]["model"].unique()).index(model) % 3]
        ax.plot(x, mean, style, marker="o", color=palette.get(family), label=f"{family}: {model}")
        ax.fill_between(x, mean - sd, mean + sd, color=palette.get(family), alpha=0.15)
    papers = published.groupby("paper", sort=False) if published is not None else []
    for (paper, cells), marker in zip(papers, "xP+*D", strict=False):  # one marker per paper
        px = cells["budget"].map(lambda b: budget_axis(b, full_examples))
        ax.scatter(px, cells["accuracy"], marker=marker, color="black", zorder=5, label=f"published: {paper}")
    ax.set_xscale("log")
    ax.set_xlabel("training examples per intent (log scale; rightmost = full training split)")
    ax.set_ylabel("test accuracy (fraction)")
    ax.set_title("Accuracy against label budget (mean ± sd over seeds)")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def reliability_diagram(tables: Mapping[str, pd.DataFrame], ece: Mapping[str, float]) -> Figure:
    """Accuracy against confidence per bin, before and after temperature scaling; the diagonal is honest."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.7, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfectly calibrated")
    for name, table in tables.items():
        ax.plot(table["confidence"], table["accuracy"], marker="o", label=f"{name} (ECE {ece[name]:.3f})")
    ax.set_xlabel("mean confidence in bin (top-class probability)")
    ax.set_ylabel("accuracy in bin (fraction)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title("Reliability diagram (test set)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


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
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("true intent")
    ax.tick_params(labelsize=7)
    ax.set_title("Confusions among the worst intents")
    fig.tight_layout()
    return fig


def serving_cost(table: pd.DataFrame) -> Figure:
    """USD per million messages: our models on a rented CPU against LLM APIs (log scale)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, max(3.0, 0.3 * len(table) + 1.2)))
    sns.barplot(data=table, x="usd_per_million_messages", y="route", hue="kind", dodge=False, ax=ax, orient="h")
    ax.set_xscale("log")
    ax.set_xlabel("cost per million messages (USD, log scale)")
    ax.set_ylabel("")
    ax.set_title("Serving cost: own model on a CPU vs LLM API")
    ax.legend(title="", fontsize=8)
    fig.tight_layout()
    return fig


def market_estimates(sizes: pd.DataFrame) -> Figure:
    """Published market-size estimates by segment and year, one marker per publisher (log scale)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 4.4))
    sns.scatterplot(data=sizes, x="year", y="value", hue="segment", style="segment", s=70, ax=ax)
    for row in sizes.itertuples():
        ax.annotate(
            str(row.publisher)[:22], (row.year, row.value), fontsize=6, xytext=(4, 2), textcoords="offset points"
        )
    ax.set_yscale("log")
    ax.set_xlabel("year the estimate refers to")
    ax.set_ylabel("market size (USD billion, log scale)")
    ax.set_title("Published market-size estimates disagree")
    ax.legend(fontsize=7, title="segment", loc="upper left")
    fig.tight_layout()
    return fig


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
    ax.set_xlabel("publication date of the price")
    ax.set_ylabel("input price (USD per million tokens, log)")
    ax.set_title("LLM API list prices by vendor and date")
    ax.legend(fontsize=7, title="vendor")
    fig.tight_layout()
    return fig


def break_even(volumes: np.ndarray, costs: Mapping[str, np.ndarray], marker: float | None = None) -> Figure:
    """Monthly cost of each route against a client's monthly contacts (log-log); the lowest line wins."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for name, values in costs.items():
        ax.plot(volumes, values, label=name)
    if marker is not None:
        ax.axvline(marker, color="grey", linestyle=":", label="volume assumed in this report")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customer contacts per month (log scale)")
    ax.set_ylabel("cost per month (USD, log scale)")
    ax.set_title("Which route is cheapest at which volume")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def build_vs_buy(sizes: np.ndarray, routes: Mapping[str, np.ndarray]) -> Figure:
    """One-off or yearly cost of each route against model size (log-log)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for name, values in routes.items():
        ax.plot(sizes, values, label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("model size (parameters, log scale)")
    ax.set_ylabel("cost (USD, log scale)")
    ax.set_title("Build, fine-tune or rent")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plan_lines(table: pd.DataFrame) -> Figure:
    """Revenue, cost of revenue and opex per month, with cash on a second axis."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for column, label in (("revenue", "revenue"), ("cost_of_revenue", "cost of revenue"), ("opex", "operating costs")):
        ax.plot(table["month"], table[column] / 1e3, label=label)
    ax.set_xlabel("month")
    ax.set_ylabel("USD thousand per month")
    cash_ax = ax.twinx()
    cash_ax.plot(table["month"], table["cash"] / 1e6, color="black", linestyle="--", label="cash (right)")
    cash_ax.set_ylabel("cash (USD million)")
    cash_ax.grid(False)
    handles = ax.get_legend_handles_labels()[0] + cash_ax.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper left")
    ax.set_title("Five-year plan, base case")
    fig.tight_layout()
    return fig


def cash_fan(fan_table: pd.DataFrame) -> Figure:
    """Cash over time across Monte Carlo draws: median line, 50% and 90% bands."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.6))
    m = fan_table["month"]
    ax.fill_between(m, fan_table["q05"] / 1e6, fan_table["q95"] / 1e6, alpha=0.2, label="90% of draws")
    ax.fill_between(m, fan_table["q25"] / 1e6, fan_table["q75"] / 1e6, alpha=0.4, label="50% of draws")
    ax.plot(m, fan_table["q50"] / 1e6, color="black", label="median")
    ax.axhline(0, color="red", linewidth=1)
    ax.set_xlabel("month")
    ax.set_ylabel("cash (USD million)")
    ax.set_title("Cash across Monte Carlo draws")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def npv_histogram(npv_usd: np.ndarray) -> Figure:
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.2))
    sns.histplot(npv_usd / 1e6, bins=60, ax=ax)
    ax.axvline(0, color="red", linewidth=1)
    ax.set_xlabel("net present value (USD million)")
    ax.set_ylabel("draws (count)")
    ax.set_title("Distribution of NPV across draws")
    fig.tight_layout()
    return fig


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
    ax.set_xlabel("net present value (USD million); line = base case")
    ax.set_title("What moves the NPV most")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


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
