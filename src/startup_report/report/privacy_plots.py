"""The privacy chapters' figures: federated rounds, client skew, accuracy against epsilon, the
cost of privacy and word occlusion; labelled axes with units, page width."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from startup_report.report.axes import plain_log_ticks
from startup_report.report.plots import PAGE_WIDTH


def _epsilon_label(epsilon: float) -> str:
    return "∞ (no DP)" if np.isinf(epsilon) else f"{epsilon:g}"


def fedavg_rounds(history: pd.DataFrame, central_accuracy: float, clients: int) -> Figure:
    """Test accuracy of the global model after each FedAvg round, one line per skew (at ``clients`` banks)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.6))
    runs = history[history["clients"] == clients]
    for alpha, group in runs.groupby("alpha"):
        ax.plot(group["round"], group["accuracy"], marker=".", label=f"FedAvg, Dirichlet α = {alpha:g}")
    ax.axhline(central_accuracy, color="black", linestyle="--", label="central training, same epochs")
    ax.set_xlabel("FedAvg round (each: 1 pass of every bank over its own messages)")
    ax.set_ylabel("test accuracy (fraction)")
    ax.set_ylim(0, 1)
    ax.set_title(f"Accuracy against rounds, {clients} client banks")
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def federation_axes(final: pd.DataFrame, central_accuracy: float, clients: int, alpha: float) -> Figure:
    """Final FedAvg accuracy against skew (left) and number of banks (right), central training as a line."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.4), sharey=True)
    skew = final[final["clients"] == clients].sort_values("alpha")
    left.plot(skew["alpha"], skew["accuracy"], marker="o")
    left.set_xscale("log")
    plain_log_ticks(left)
    left.set_xlabel("Dirichlet α (log scale; low = skewed)")
    left.set_title(f"{clients} banks, skew varies", fontsize=10)
    count = final[final["alpha"] == alpha].sort_values("clients")
    right.plot(count["clients"], count["accuracy"], marker="o", color="tab:orange")
    right.set_xticks(count["clients"].tolist())
    right.set_xlabel("client banks (count)")
    right.set_title(f"α = {alpha:g}, number of banks varies", fontsize=10)
    for ax in (left, right):
        ax.axhline(central_accuracy, color="black", linestyle="--", label="central training")
        ax.set_ylim(0, 1)
    left.set_ylabel("final test accuracy (fraction)")
    left.legend(fontsize=8, loc="lower right")
    fig.suptitle("FedAvg against skew and number of banks")
    fig.tight_layout()
    return fig


def privacy_curves(sweep: pd.DataFrame) -> Figure:
    """Accuracy (left) and automation at the target precision (right) against epsilon, per setting."""
    epsilons = sorted(sweep["epsilon"].unique())
    x = {e: i for i, e in enumerate(epsilons)}
    fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.4), sharex=True)
    for setting, group in sweep.groupby("setting", sort=False):
        for ax, column in zip(axes, ("accuracy", "automation_rate"), strict=True):
            ax.plot(group["epsilon"].map(x), group[column], marker="o", label=setting)
    for ax, label in zip(axes, ("test accuracy (fraction)", "answered automatically (fraction)"), strict=True):
        ax.set_xticks(range(len(epsilons)), [_epsilon_label(e) for e in epsilons])
        ax.set_xlabel("privacy budget ε (δ = 1/n)")
        ax.set_ylabel(label)
        ax.set_ylim(0, 1)
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle("What differential privacy costs in quality")
    fig.tight_layout(rect=(0, 0, 1, 0.93))  # keep the right panel's y label clear of the title
    return fig


def privacy_cost(cost: pd.DataFrame) -> Figure:
    """Cost per contact (left) and five-year NPV (right) at each epsilon, per setting."""
    frame = cost.assign(budget=cost["epsilon"].map(_epsilon_label), npv_musd=cost["npv_usd"] / 1e6)
    order = [_epsilon_label(e) for e in sorted(cost["epsilon"].unique())]
    fig, (left, right) = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.4))
    sns.barplot(frame, x="budget", y="usd_per_contact", hue="setting", order=order, ax=left)
    sns.barplot(frame, x="budget", y="npv_musd", hue="setting", order=order, ax=right, legend=False)
    left.set_ylabel("cost per contact (USD)")
    right.set_ylabel("plan NPV (USD million)")
    right.axhline(0, color="black", linewidth=1)
    for ax in (left, right):
        ax.set_xlabel("privacy budget ε")
    handles, labels = left.get_legend_handles_labels()
    left.get_legend().remove()
    fig.suptitle("The cost of privacy in money")
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8, bbox_to_anchor=(0.5, 0.92))
    fig.tight_layout(rect=(0, 0, 1, 0.86))
    return fig


def occlusion_bars(explanations: list) -> Figure:
    """Per explained message: how much removing each word lowers the predicted intent's probability."""
    if not explanations:  # a model without mistakes on the test set: say so instead of an empty grid
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.2))
        ax.text(0.5, 0.5, "No wrong predictions on the test set to explain.", ha="center", va="center")
        ax.set_axis_off()
        return fig
    fig, axes = plt.subplots(len(explanations), 1, figsize=(PAGE_WIDTH, 2.0 * len(explanations) + 0.6), squeeze=False)
    for ax, item in zip(axes[:, 0], explanations, strict=True):
        words = item.words
        y = np.arange(len(words))[::-1]
        colors = np.where(words["change_predicted"] >= 0, "tab:red", "tab:blue")
        ax.barh(y, words["change_predicted"], color=colors)
        ax.set_yticks(y, words["word"], fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(f"predicted {item.predicted} (true {item.true_intent})", fontsize=9)
        ax.set_xlabel("drop in p(predicted intent) when the word is removed (probability)", fontsize=8)
    fig.tight_layout()
    return fig
