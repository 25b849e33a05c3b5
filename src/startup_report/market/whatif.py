"""The what-if grid: the market model evaluated at build time over every combination of a few controls' values.

A reader of the static site moves the controls and the page looks the answer up; nothing is computed in the
browser, so the page can only ever show what the Python model says. Controls are the inputs the tornado ranks
highest, each on a grid spanning its uncertainty range with the report's own value on it exactly; a segment
control, when there are several go-to-market plans, selects the plan the others vary.

The model is reached through one callback, ``evaluate(segment, changes)``, that takes arrays of plan-input
values (one entry per grid point of a chunk) and returns arrays (numbers) or lists (text) per output, so the
grid is vectorized in chunks and the module knows nothing of the plan's arithmetic.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Outputs = Mapping[str, Sequence[Any]]
Evaluate = Callable[[str, Mapping[str, np.ndarray]], Outputs]


@dataclass(frozen=True)
class Control:
    """One input the reader can move: the plan input it sets, its parameter key, and its grid of values.

    ``param_values`` are the same positions written as the parameter a rerun sets (`-p key=value`), since a
    plan input (say, the price per resolution) may come from a parameter of another form (a discount).
    """

    name: str
    label: str
    unit: str
    values: tuple[float, ...]
    default_index: int
    param_key: str
    param_values: tuple[str, ...]
    shown: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.values or len(self.values) != len(self.param_values):
            raise ValueError(f"what-if control {self.name}: needs as many parameter values as grid values")
        if not 0 <= self.default_index < len(self.values):
            raise ValueError(f"what-if control {self.name}: default index {self.default_index} outside its grid")

    @property
    def default(self) -> float:
        return self.values[self.default_index]


def positions(low: float, high: float, default: float, resolution: int, integer: bool = False) -> tuple[list, int]:
    """``resolution`` evenly spaced values from ``low`` to ``high`` with ``default`` among them exactly.

    The default replaces the nearest evenly spaced value (so the grid keeps its size and the report's own
    point is on it); returns the values, ascending, and the default's index.
    """
    if resolution < 2:
        raise ValueError("what-if resolution must be at least 2")
    lo, hi = min(low, default), max(high, default)
    values = [float(v) for v in np.linspace(lo, hi, resolution)]
    if integer:
        values = [float(round(v)) for v in values]
    nearest = int(np.argmin([abs(v - default) for v in values]))
    values[nearest] = float(default)
    values = sorted(set(values))
    return values, values.index(float(default))


def points(controls: Sequence[Control]) -> np.ndarray:
    """Every combination of the controls' indices, in row-major order (the last control varies fastest)."""
    shape = [len(c.values) for c in controls]
    return np.array(list(itertools.product(*(range(n) for n in shape))), dtype=int).reshape(-1, len(shape))


def flat_index(controls: Sequence[Control], indices: Sequence[int]) -> int:
    """The row of ``points(controls)`` holding these indices (what the page computes to look a point up)."""
    index = 0
    for control, i in zip(controls, indices, strict=True):
        index = index * len(control.values) + int(i)
    return index


def evaluate_grid(
    evaluate: Evaluate, segments: Sequence[str], controls: Sequence[Control], chunk: int = 64
) -> dict[str, dict[str, list]]:
    """Every output of ``evaluate`` at every grid point of every segment: ``{segment: {output: [values]}}``.

    Points go to the model ``chunk`` at a time as arrays, one array per control.
    """
    grid = points(controls)
    result: dict[str, dict[str, list]] = {}
    for segment in segments:
        columns: dict[str, list] = {}
        for start in range(0, len(grid), chunk):
            block = grid[start : start + chunk]
            changes = {c.name: np.asarray(c.values, dtype=float)[block[:, k]] for k, c in enumerate(controls)}
            out = evaluate(segment, changes)
            for name, values in out.items():
                values = list(values.tolist() if isinstance(values, np.ndarray) else values)
                if len(values) != len(block):
                    raise ValueError(f"what-if output {name}: {len(values)} values for {len(block)} points")
                columns.setdefault(name, []).extend(values)
        result[segment] = columns
    return result
