"""Figures of a sweep's comparison page: each headline against each swept key, or per named scenario."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # written to PNG files for the page, never shown

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from startup_report.sweep.compare import HEADLINES  # noqa: E402

SCALE = {"npv_usd": 1e6, "npv_no_exit_usd": 1e6, "funding_need_usd": 1e6}


def _label(column: str) -> str:
    label = HEADLINES[column][2]
    return label.replace("(USD)", "(M USD)") if column in SCALE else label


def _panels(frame: pd.DataFrame) -> tuple[plt.Figure, list[plt.Axes]]:
    columns = len(HEADLINES)
    fig, axes = plt.subplots(2, (columns + 1) // 2, figsize=(3.6 * ((columns + 1) // 2), 6.4), squeeze=False)
    flat = list(axes.ravel())
    for extra in flat[columns:]:
        extra.set_visible(False)
    return fig, flat[:columns]


def _scaled(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, factor in SCALE.items():
        out[column] = out[column].astype(float) / factor
    return out


def headlines_by_key(frame: pd.DataFrame, key: str, hue: str | None = None) -> plt.Figure:
    """Every headline against one swept key (a line per value of ``hue``, another swept key, if given)."""
    data = _scaled(frame.dropna(subset=["npv_usd"]))
    if hue is not None:
        data[hue] = data[hue].astype(str)  # distinct colours per value, not a pale-to-dark ramp
    fig, axes = _panels(data)
    for ax, column in zip(axes, HEADLINES, strict=True):
        sns.lineplot(data=data, x=key, y=column, hue=hue, marker="o", ax=ax, legend=ax is axes[0] and hue is not None)
        ax.set_xlabel(key)
        ax.set_ylabel(_label(column))
    fig.suptitle(f"Headline figures against {key}")
    fig.tight_layout()
    return fig


def headlines_by_scenario(frame: pd.DataFrame) -> plt.Figure:
    """Every headline per named scenario, in the sweep file's order."""
    data = _scaled(frame.dropna(subset=["npv_usd"]))
    fig, axes = _panels(data)
    for ax, column in zip(axes, HEADLINES, strict=True):
        sns.barplot(data=data, x="scenario", y=column, ax=ax, color="tab:blue")
        ax.set_xlabel("scenario")
        ax.set_ylabel(_label(column))
        ax.tick_params(axis="x", rotation=30)
    fig.suptitle("Headline figures per scenario")
    fig.tight_layout()
    return fig


def save(fig: plt.Figure, path) -> None:
    """Write the figure as PNG for the page and free it."""
    fig.savefig(path, dpi=90)
    plt.close(fig)
