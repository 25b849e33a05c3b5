"""Every figure of the report: seaborn/matplotlib, labelled axes with units, sized for a page width."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    for name, texts in frames.items():
        sns.histplot(
            texts.str.split().str.len(), binwidth=2, stat="density", element="step", fill=False, label=name, ax=ax
        )
    ax.set_xlabel("message length (words)")
    ax.set_ylabel("share of messages (density)")
    ax.set_title("Message length per split")
    ax.legend(title="split")
    fig.tight_layout()
    return fig


def training_history(history: Mapping[str, Sequence[float]]) -> Figure:
    """Loss and accuracy per epoch, training against validation."""
    fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.0))
    epochs = np.arange(1, len(history["loss"]) + 1)
    panels = ((axes[0], "loss", "cross-entropy loss (nats)"), (axes[1], "accuracy", "accuracy (fraction)"))
    for ax, metric, label in panels:
        ax.plot(epochs, history[metric], marker="o", label="train")
        ax.plot(epochs, history[f"val_{metric}"], marker="o", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.legend()
    fig.suptitle("Learning curves")
    fig.tight_layout()
    return fig


def per_class_f1(report: pd.DataFrame, n: int = 15) -> Figure:
    """The intents the model handles worst and best, by F1 on the test set."""
    ranked = report.sort_values("f1")
    shown = pd.concat([ranked.head(n), ranked.tail(min(n, max(len(ranked) - n, 0)))]).drop_duplicates()
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, max(3.0, 0.18 * len(shown) + 1)))
    sns.barplot(data=shown, x="f1", y="label", hue="group", dodge=False, ax=ax, orient="h")
    ax.set_xlabel("F1 on the test set (fraction)")
    ax.set_ylabel("intent")
    ax.set_xlim(0, 1)
    ax.set_title(f"Worst and best {n} intents by F1")
    ax.tick_params(axis="y", labelsize=7)
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


def cost_per_contact(costs: pd.DataFrame) -> Figure:
    """Cost of one customer contact per route, in USD."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 2.8))
    sns.barplot(data=costs, x="cost_usd", y="route", hue="route", legend=False, ax=ax, orient="h")
    for container in ax.containers:
        ax.bar_label(container, fmt="$%.2f", padding=3)
    ax.set_xlabel("cost per contact (USD)")
    ax.set_ylabel("")
    ax.set_xlim(0, costs["cost_usd"].max() * 1.2)
    ax.set_title("Cost of one customer contact")
    fig.tight_layout()
    return fig


FAMILY_ORDER = ("classical", "scratch", "frozen", "finetuned")


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
    if published is not None and not published.empty:
        px = published["budget"].map(lambda b: budget_axis(b, full_examples))
        ax.scatter(
            px, published["accuracy"], marker="x", color="black", zorder=5, label="published (Casanueva et al., 2020)"
        )
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
