"""The training chapter's accuracy-against-label-budget figure: small multiples, one panel per model family."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from startup_report.report.axes import plain_log_ticks
from startup_report.report.plots import FAMILY_ORDER, PAGE_WIDTH, budget_axis


def best_per_family(summary: pd.DataFrame) -> dict[str, str]:
    """Family -> its model with the highest mean accuracy at the largest budget any of its models reached."""
    best = {}
    for family, group in summary.groupby("family", sort=False):
        ranked = group.assign(size=group["budget"].map(lambda b: float("inf") if b == "full" else float(b)))
        top = ranked[ranked["size"] == ranked["size"].max()].sort_values("accuracy_mean", ascending=False)
        best[family] = top["model"].iloc[0]
    return best


def data_scaling(summary: pd.DataFrame, published: pd.DataFrame | None, full_examples: float) -> Figure:
    """Accuracy against examples per intent (log scale), small multiples: one panel per model family.

    Each panel draws its family's models in colours of their own (the family's best model thick, the others
    thin and dashed), every other model as a faint grey line for context and the published results as black
    markers; one legend under the panels names every line, so nothing covers the data. Mean ± sd over seeds.
    """
    families = [f for f in FAMILY_ORDER if f in set(summary["family"])]
    families += [f for f in dict.fromkeys(summary["family"]) if f not in families]
    columns = min(3, len(families))
    rows = -(-len(families) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(PAGE_WIDTH, 2.6 * rows + 1.4), sharex=True, sharey=True,
                             squeeze=False)
    models = list(dict.fromkeys(summary["model"]))
    strong_first = [*sns.color_palette("tab20")[0::2], *sns.color_palette("tab20")[1::2]]  # 10 dark, then light
    colours = {model: strong_first[i % len(strong_first)] for i, model in enumerate(models)}
    best = best_per_family(summary)
    curves = {}
    for (family, model), group in summary.groupby(["family", "model"], sort=False):
        x = group["budget"].map(lambda b: budget_axis(b, full_examples)).to_numpy()
        order = np.argsort(x)
        curves[model] = (family, x[order], group["accuracy_mean"].to_numpy()[order],
                         group["accuracy_sd"].to_numpy()[order])
    handles: dict[str, object] = {}
    papers = list(published.groupby("paper", sort=False)) if published is not None else []
    for ax, family in zip(axes.flat, families, strict=False):
        for other, x, mean, _ in curves.values():
            if other != family:
                ax.plot(x, mean, color="0.85", linewidth=0.8, zorder=1)
        for model, (other, x, mean, sd) in curves.items():
            if other != family:
                continue
            top = best[family] == model
            (line,) = ax.plot(x, mean, "-" if top else "--", marker="o", markersize=4 if top else 3,
                              linewidth=2.4 if top else 1.2, color=colours[model], zorder=3)
            ax.fill_between(x, mean - sd, mean + sd, color=colours[model], alpha=0.15, zorder=2)
            handles[f"{model}{' (best ' + family + ')' if top else ''}"] = line
        for (paper, cells), marker in zip(papers, "xP+*D", strict=False):  # one marker per paper
            px = cells["budget"].map(lambda b: budget_axis(b, full_examples))
            handles[f"published: {paper}"] = ax.scatter(px, cells["accuracy"], marker=marker, color="black",
                                                         s=18, zorder=4)
        ax.set_title(family, fontsize=10)
        ax.set_xscale("log")
        plain_log_ticks(ax)
        ax.set_xlabel("examples per intent (log scale)", fontsize=8)
        ax.set_ylabel("test accuracy (fraction)", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(families):]:
        ax.set_visible(False)
    fig.suptitle("Accuracy against label budget, by model family\n(mean ± sd over seeds; grey: the other families; "
                 "rightmost point: the full training split)", fontsize=9)
    legend_rows = -(-len(handles) // 3)
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, min(0.4, 0.16 * legend_rows / (2.6 * rows + 1.4) + 0.01), 1, 0.94))
    return fig
