"""Small helpers that keep notebooks thin: glue a figure for the book and close it."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def glue_figure(name: str, fig: Figure) -> None:
    """Store the figure for a ``{glue:figure}`` directive (numbered, captioned) and close it."""
    from myst_nb import glue

    glue(name, fig, display=False)
    plt.close(fig)


def glue_values(**values: Any) -> None:
    """Glue plain numbers and strings for ``{glue:text}`` roles in the prose, without displaying them."""
    from myst_nb import glue

    for name, value in values.items():
        glue(name, value, display=False)
