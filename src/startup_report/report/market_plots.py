"""The market and strategy figures added with the router economics: labelled axes with units, page width."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from startup_report.report.plots import PAGE_WIDTH


def cost_per_contact(
    volumes: np.ndarray, costs: Mapping[str, np.ndarray], point: tuple[float, float], point_label: str
) -> Figure:
    """Cost per contact of each route against a client's monthly contacts, with our measured point marked."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for name, values in costs.items():
        ax.plot(volumes, np.asarray(values) / volumes, label=name)
    ax.scatter([point[0]], [point[1]], color="black", zorder=5, label=point_label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customer contacts per month of one client (log scale)")
    ax.set_ylabel("cost per contact (USD, log scale)")
    ax.set_title("Cost of handling one contact, by route and volume")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def npv_with_without_exit(no_exit: np.ndarray, with_exit: np.ndarray) -> Figure:
    """NPV across draws without and with the exit value, money charged for in both (1st-99th percentile shown)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    both = np.concatenate([no_exit, with_exit]) / 1e6
    bins = np.histogram_bin_edges(both, bins=60, range=tuple(np.percentile(both, [1, 99])))
    sns.histplot(no_exit / 1e6, bins=bins, color="tab:blue", alpha=0.5, label="without exit", ax=ax)
    sns.histplot(with_exit / 1e6, bins=bins, color="tab:orange", alpha=0.5, label="with exit", ax=ax)
    ax.axvline(0, color="red", linewidth=1)
    ax.set_xlabel("net present value to today's owners (USD million; 1st-99th percentile)")
    ax.set_ylabel("draws (count)")
    ax.set_title("NPV across draws, with and without the exit")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def funding_need(need: np.ndarray, starting_cash: float) -> Figure:
    """Distribution of the extra money each draw needs so that cash never goes below zero."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.2))
    sns.histplot(need / 1e6, bins=50, ax=ax)
    ax.axvline(starting_cash / 1e6, color="grey", linestyle="--", label="starting cash")
    ax.set_xlabel("funding needed beyond the starting cash (USD million)")
    ax.set_ylabel("draws (count)")
    ax.set_title("How much money the plan needs")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def channel_costs(table: pd.DataFrame) -> Figure:
    """Sourced human cost per contact for the chosen channel by year, and the mixed live-channel figure."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.2))
    labels = table["key"] + " (" + table["year"].astype(str) + ")"
    colors = ["black" if used else "tab:blue" for used in table["used"]]
    ax.barh(labels, table["value"].astype(float), color=colors)
    ax.invert_yaxis()
    ax.set_xlabel("human cost per contact (USD; black = used by the model)")
    ax.set_title("Human cost per contact: the data's channel, newest first")
    fig.tight_layout()
    return fig


def competitor_prices(table: pd.DataFrame) -> Figure:
    """Competitor list prices per resolution or conversation, with our cost and price marked."""
    rows = table[table["basis"].isin(["per resolution", "per conversation"])]
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    labels = rows["vendor"] + ": " + rows["product"]
    colors = ["black" if vendor == "us" else "tab:blue" for vendor in rows["vendor"]]
    ax.barh(labels, rows["price"], color=colors)
    ax.invert_yaxis()
    ax.set_xlabel("USD per resolution or conversation (black = us)")
    ax.set_title("Where our cost and price sit among competitors")
    fig.tight_layout()
    return fig


def data_moat(table: pd.DataFrame) -> Figure:
    """Extra monthly revenue and one-off labelling cost against extra labelled examples per intent."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    x = table["extra examples per intent"]
    ax.plot(x, table["extra revenue per month (USD)"] / 1e3, marker="o", label="extra revenue per month")
    ax.plot(x, table["labelling cost (USD)"] / 1e3, marker="s", label="one-off labelling cost")
    ax.set_xscale("log")
    ax.set_xlabel("extra labelled examples per intent (log scale)")
    ax.set_ylabel("USD thousand")
    ax.set_title("What more labels are worth")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
