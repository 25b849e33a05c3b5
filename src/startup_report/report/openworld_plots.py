"""The evaluation chapter's open-world figures: what rejecting unknown intents costs known ones, and automation."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from startup_report.report.plots import PAGE_WIDTH

METHOD_NAMES = {
    "max_probability": "max probability",
    "centroid_distance": "distance to class centre",
    "knn_similarity": "nearest known message",
    "class_boundary": "per-intent boundary",
}


def _panels(n: int, height: float = 3.8) -> tuple[Figure, np.ndarray]:
    fig, axes = plt.subplots(1, n, figsize=(PAGE_WIDTH, height), sharey=True, squeeze=False)
    return fig, axes[0]


def _finish(fig: Figure, axes: np.ndarray, xlabel: str, ylabel: str) -> Figure:
    """One x label and one legend under the panels, so that nothing overlaps at page width."""
    axes[len(axes) // 2].set_xlabel(xlabel)
    axes[0].set_ylabel(ylabel)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=2 if len(names) <= 4 else 4, fontsize="small", frameon=False)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    return fig


def tradeoff(curves: Mapping[tuple[float, str], Mapping[str, np.ndarray]], points: pd.DataFrame) -> Figure:
    """Known-intent accuracy against open-class F1 as the rejection threshold moves, one panel per known share,
    one line per rule (first draw); the markers are the thresholds chosen on validation, one per draw."""
    shares = sorted({share for share, _ in curves})
    fig, axes = _panels(len(shares))
    colours = dict(zip(METHOD_NAMES, plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False))
    for ax, share in zip(axes, shares, strict=True):
        for (s, method), curve in curves.items():
            if s != share:
                continue
            ax.plot(curve["open_f1"], curve["known_accuracy"], color=colours[method], label=METHOD_NAMES[method])
            chosen = points[(points["known_share"] == share) & (points["method"] == method)]
            ax.scatter(
                chosen["open_f1"],
                chosen["known_accuracy"],
                color=colours[method],
                edgecolor="black",
                zorder=3,
                label=f"{METHOD_NAMES[method]}: threshold for the target",
            )
        ax.set_title(f"{share:.0%} of intents known", fontsize="medium")
        ax.set_xlim(0, 1)
    axes[0].set_ylim(0, 1)
    return _finish(fig, axes, "open-class F1 (fraction)", "known-intent accuracy\n(fraction, rejected = wrong)")


def automation(curves: Mapping[float, Mapping[str, tuple[np.ndarray, np.ndarray]]], target: float) -> Figure:
    """Precision of the automatic answers against the share answered, closed world against open world,
    one panel per known share."""
    fig, axes = _panels(len(curves))
    for ax, (share, worlds) in zip(axes, sorted(curves.items()), strict=True):
        for world, (coverage, precision) in worlds.items():
            ax.plot(coverage, precision, label=world, linestyle="-" if world == "open world" else "--")
        ax.axhline(target, color="grey", linestyle=":", label=f"target precision {target:.0%}")
        ax.set_title(f"{share:.0%} of intents known", fontsize="medium")
        ax.set_xlim(0, 1)
    return _finish(
        fig, axes, "automation: share of messages answered automatically (fraction)",
        "precision of automatic\nanswers (fraction)",
    )
