"""The chain as a picture, drawn from the stage declarations, so the book's diagram cannot drift from the code.

Stages sit in columns by depth (the longest path of ``upstream`` links that leads to them), computing
chapters in a second row; an arrow is drawn for every declared upstream link, and the outputs each stage
hands on are printed under its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from startup_report.engine.stage import Stage


def depths(chain: Sequence[Stage]) -> dict[str, int]:
    """Column of each stage: 0 without upstream, else one more than its deepest upstream stage."""
    known: dict[str, int] = {}
    for stage in chain:  # the chain is declared in an order where upstream stages come first
        missing = [name for name in stage.upstream if name not in known]
        if missing:
            raise ValueError(f"stage {stage.name!r} lists upstream {missing} that is not declared before it")
        known[stage.name] = 1 + max((known[name] for name in stage.upstream), default=-1)
    return known


def edges(chain: Sequence[Stage]) -> list[tuple[str, str]]:
    """Every declared hand-off, as (from stage, to stage)."""
    return [(upstream, stage.name) for stage in chain for upstream in stage.upstream]


def positions(chain: Sequence[Stage]) -> dict[str, tuple[float, float]]:
    """Box centres: x by depth; chain stages on the top row, book chapters (not in ``notebooks/``) below."""
    column = depths(chain)
    return {stage.name: (float(column[stage.name]), 0.0 if stage.folder == "notebooks" else -1.0) for stage in chain}


def _label(stage: Stage) -> str:
    outputs = [name for name in stage.outputs if not name.endswith((".npz", ".parquet"))][:2]
    return stage.name + ("\n" + "\n".join(outputs) if outputs else "")


def draw(chain: Sequence[Stage]):
    """A matplotlib figure of the chain: one box per stage, one arrow per upstream link."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    where = positions(chain)
    width = max(x for x, _ in where.values()) + 1
    fig, ax = plt.subplots(figsize=(1.9 * width, 4.4))
    box_w, box_h = 0.78, 0.58
    for stage in chain:
        x, y = where[stage.name]
        chapter = stage.folder != "notebooks"
        ax.add_patch(
            FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2),
                box_w,
                box_h,
                boxstyle="round,pad=0.02",
                facecolor="#eef3f8" if not chapter else "#f6f1e7",
                edgecolor="#35618f" if not chapter else "#8f6d35",
            )
        )
        ax.text(x, y, _label(stage), ha="center", va="center", fontsize=7.5, linespacing=1.25)
    for source, target in edges(chain):
        (x0, y0), (x1, y1) = where[source], where[target]
        if y0 == y1 and x1 - x0 == 1:  # neighbours: a straight arrow through the gap
            start, end, bend = (x0 + box_w / 2, y0), (x1 - box_w / 2, y1), 0.0
        elif y0 == y1:  # skips a stage: arc around the boxes between (over the chain row, under the chapters)
            side = 1 if y0 == 0 else -1
            start, end = (x0 + box_w / 4, y0 + side * box_h / 2), (x1 - box_w / 4, y1 + side * box_h / 2)
            bend = -0.25 * side
        else:  # from the chain row down to a chapter
            start, end, bend = (x0, y0 - box_h / 2), (x1, y1 + box_h / 2), 0.0
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 0.9, "connectionstyle": f"arc3,rad={bend}"},
        )
    ax.text(-0.45, 0.75, "chain (notebooks/)", fontsize=8, color="#35618f")
    ax.text(-0.45, -0.58, "computing chapters (book/)", fontsize=8, color="#8f6d35")
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(-1.7, 0.95)
    ax.axis("off")
    fig.tight_layout()
    return fig


def write_svg(chain: Sequence[Stage], path: Path) -> Path:
    """Draw the chain into an SVG file (text kept as text, so the page's search and screen readers see it)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "chain"}):
        fig = draw(chain)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path
