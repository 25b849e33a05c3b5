"""The market and strategy figures added with the router economics: labelled axes with units, page width."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import ticker
from matplotlib.figure import Figure

from startup_report.report.axes import highlighted_bars, labelled, log_log_lines, plain_number
from startup_report.report.plots import PAGE_WIDTH


def cost_per_contact(
    volumes: np.ndarray, costs: Mapping[str, np.ndarray], point: tuple[float, float], point_label: str
) -> Figure:
    """Cost per contact of each route against a client's monthly contacts, with our measured point marked."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    log_log_lines(ax, volumes, {name: np.asarray(values) / volumes for name, values in costs.items()})
    ax.scatter([point[0]], [point[1]], color="black", zorder=5, label=point_label)
    return labelled(
        fig,
        ax,
        "customer contacts per month of one client (log scale)",
        "cost per contact (USD, log scale)",
        "Cost of handling one contact, by route and volume",
        legend={"fontsize": 8},
    )


def npv_with_without_exit(no_exit: np.ndarray, with_exit: np.ndarray) -> Figure:
    """NPV across draws without and with the exit value, money charged for in both (1st-99th percentile shown)."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    both = np.concatenate([no_exit, with_exit]) / 1e6
    bins = np.histogram_bin_edges(both, bins=60, range=tuple(np.percentile(both, [1, 99])))
    sns.histplot(no_exit / 1e6, bins=bins, color="tab:blue", alpha=0.5, label="without exit", ax=ax)
    sns.histplot(with_exit / 1e6, bins=bins, color="tab:orange", alpha=0.5, label="with exit", ax=ax)
    ax.axvline(0, color="red", linewidth=1)
    xlabel = "net present value to today's owners (USD million; 1st-99th percentile)"
    return labelled(fig, ax, xlabel, "draws (count)", "NPV across draws, with and without the exit", {"fontsize": 8})


def funding_need(need: np.ndarray, starting_cash: float) -> Figure:
    """Distribution of the extra money each draw needs so that cash never goes below zero."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.2))
    sns.histplot(need / 1e6, bins=50, ax=ax)
    ax.axvline(starting_cash / 1e6, color="grey", linestyle="--", label="starting cash")
    xlabel = "funding needed beyond the starting cash (USD million)"
    return labelled(fig, ax, xlabel, "draws (count)", "How much money the plan needs", {"fontsize": 8})


def channel_costs(table: pd.DataFrame) -> Figure:
    """Sourced human cost per contact for the chosen channel by year, and the mixed live-channel figure."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.2))
    labels = table["key"] + " (" + table["year"].astype(str) + ")"
    highlighted_bars(ax, labels, table["value"].astype(float), table["used"])
    xlabel = "human cost per contact (USD; black = used by the model)"
    return labelled(fig, ax, xlabel, None, "Human cost per contact: the data's channel, newest first")


def competitor_prices(table: pd.DataFrame) -> Figure:
    """Competitor list prices per resolution or conversation, with our cost and price marked."""
    rows = table[table["basis"].isin(["per resolution", "per conversation"])]
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    highlighted_bars(ax, rows["vendor"] + ": " + rows["product"], rows["price"], rows["vendor"] == "us")
    xlabel = "USD per resolution or conversation (black = us)"
    return labelled(fig, ax, xlabel, None, "Where our cost and price sit among competitors")


def data_moat(table: pd.DataFrame) -> Figure:
    """Extra monthly revenue and one-off labelling cost against extra labelled examples per intent."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.4))
    x = table["extra examples per intent"]
    ax.plot(x, table["extra revenue per month (USD)"] / 1e3, marker="o", label="extra revenue per month")
    ax.plot(x, table["labelling cost (USD)"] / 1e3, marker="s", label="one-off labelling cost")
    ax.set_xscale("log")
    xlabel = "extra labelled examples per intent (log scale)"
    return labelled(fig, ax, xlabel, "USD thousand", "What more labels are worth", {"fontsize": 8})


def frontier(table: pd.DataFrame, point: tuple[float, float], label: str) -> Figure:
    """Break-even CAC against client size: below the line the plan pays for itself without an exit in at least
    half of the draws; the plan's own client size and CAC marked. No break-even at a size: no point drawn; a
    break-even above the grid is drawn at the grid's top."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.6))
    top = float(table.attrs["cac_top_usd"])  # the CAC grid's top: a break-even above it is drawn there
    x = table["contacts a month"].to_numpy(float)
    y = np.minimum(table["break-even CAC (USD)"].to_numpy(float), top) / 1e3
    ax.plot(x, y, color="tab:blue", marker="o", label="break-even CAC (P = 1/2 without exit)")
    ax.fill_between(x, 0, np.nan_to_num(y), color="tab:blue", alpha=0.12, label="pays for itself in most draws")
    ax.scatter([point[0]], [point[1] / 1e3], color="black", zorder=5, label=label)
    ax.set_xscale("log")
    ax.set_ylim(0, top / 1e3 * 1.05)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: plain_number(v)))
    return labelled(
        fig,
        ax,
        "customer contacts per month of one client (log scale)",
        "CAC per client (USD thousand)",
        "What must be true: client size and CAC at even odds",
        legend={"fontsize": 8},
    )


def sector_multiples(points: pd.DataFrame, references: Mapping[str, float]) -> Figure:
    """Valuation against annual revenue (log-log): the AI round median band and the listed-SaaS multiple as
    lines of constant multiple, with our rounds (circles) and our exit (star) on them."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 4.0))
    points = points[(points["revenue_usd"] > 0) & (points["valuation_usd"] > 0)]  # a log scale shows no zero
    revenue, valuation = points["revenue_usd"] / 1e6, points["valuation_usd"] / 1e6
    low_x, high_x = (revenue.min() / 3, revenue.max() * 3) if len(points) else (0.1, 100.0)  # USD million
    x = np.geomspace(max(low_x, 1e-3), max(high_x, 1e-2), 50)
    low, high = references["ai_round_low"], references["ai_round_high"]
    public = references["public_saas"]
    ax.fill_between(x, low * x, high * x, color="tab:orange", alpha=0.35, label=f"AI rounds, median {low:g}-{high:g}x")
    ax.plot(x, public * x, color="tab:blue", ls="--", label=f"listed SaaS, median {public:g}x")
    rounds, exits = points["kind"] == "round", points["kind"] == "exit"
    ax.scatter(revenue[rounds], valuation[rounds], color="black", zorder=5, label="our rounds (pre-money)")
    ax.scatter(revenue[exits], valuation[exits], color="black", marker="*", s=140, zorder=5, label="our exit")
    for r, v, name in zip(revenue, valuation, points["point"], strict=True):
        ax.annotate(name.removeprefix("our "), (r, v), textcoords="offset points", xytext=(6, -10), fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    return labelled(
        fig,
        ax,
        "annual revenue: run rate at a round, last 12 months at the exit (USD million, log scale)",
        "valuation (USD million, log scale)",
        "Our rounds and exit against the sector's revenue multiples",
        {"fontsize": 8, "loc": "upper left"},
    )
