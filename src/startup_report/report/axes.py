"""What the report's figures do to their axes alike: name them with units, title them, fit the page.

The figure functions of ``plots`` and ``market_plots`` draw their own data, then end with ``labelled``,
so the axis labels (each with its unit), the title, the legend and the layout are set in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Thousand, million, billion, trillion: the report's readers price things in USD, not in powers of ten.
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def plain_number(x: float) -> str:
    """A log-axis tick as people write amounts: 0.01, 3, 30k, 2.5B."""
    for value, suffix in _SUFFIXES:
        if abs(x) >= value:
            return f"{x / value:g}{suffix}"
    return f"{x:g}"


class PlainLogFormatter(ticker.LogFormatter):
    """Log-axis tick labels as plain numbers (`plain_number`) instead of matplotlib's 10^x.

    Why: "30k contacts" and "USD 1M" read at a glance where 3x10^4 needs arithmetic, and plain text is drawn
    without mathtext, which would parse every 10^x label.
    Which ticks get a label (decades; minor ticks on short ranges) stays matplotlib's choice.
    """

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return plain_number(x)


def plain_log_ticks(ax: Axes) -> None:
    """Plain-number labels on whichever of ``ax``'s axes are on a log scale."""
    for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
        if scale == "log":
            axis.set_major_formatter(PlainLogFormatter())
            axis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))


def labelled(
    fig: Figure,
    ax: Axes,
    xlabel: str,
    ylabel: str | None,
    title: str,
    legend: Mapping[str, Any] | None = None,
) -> Figure:
    """Label both axes (``ylabel`` None leaves the y axis as drawn), title, legend with ``legend``'s
    keyword arguments (None: no legend), plain-number ticks on log axes and a tight layout; returns ``fig``."""
    plain_log_ticks(ax)
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
