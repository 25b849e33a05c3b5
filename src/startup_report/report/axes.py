"""What the report's figures do to their axes alike: name them with units, title them, fit the page.

The figure functions of ``plots`` and ``market_plots`` draw their own data, then end with ``labelled``,
so the axis labels (each with its unit), the title, the legend and the layout are set in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def labelled(
    fig: Figure,
    ax: Axes,
    xlabel: str,
    ylabel: str | None,
    title: str,
    legend: Mapping[str, Any] | None = None,
) -> Figure:
    """Label both axes (``ylabel`` None leaves the y axis as drawn), title, legend with ``legend``'s
    keyword arguments (None: no legend) and a tight layout; returns ``fig``."""
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend is not None:
        ax.legend(**legend)
    fig.tight_layout()
    return fig


def log_log_lines(ax: Axes, x: np.ndarray, curves: Mapping[str, np.ndarray]) -> None:
    """One labelled line per curve against ``x``, both axes on a log scale (costs against volume or size)."""
    for name, values in curves.items():
        ax.plot(x, values, label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")


def highlighted_bars(ax: Axes, labels: Iterable[str], values: Iterable[float], highlight: Iterable[bool]) -> None:
    """Horizontal bars in the table's order from the top, black where ``highlight`` is true (ours, or used)."""
    ax.barh(labels, values, color=["black" if marked else "tab:blue" for marked in highlight])
    ax.invert_yaxis()
