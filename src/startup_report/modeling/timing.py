"""When a timing may be kept: measured in rounds that agree, on a machine that had a core for it.

A figure stored for later builds (serving latency, the encoder's speed) is a fact about the machine only when
nothing else shared the CPU while it was taken; a busy measurement serves the build that took it and is
never stored.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

BUSY_SPREAD = 0.25  # rounds that differ by more (max / min - 1): the machine was busy
BUSY_LOAD = 1.0  # a load average per core above it while measuring: other work shared the CPU


def load_per_core() -> float:
    """Runnable processes per core, averaged over the last minute (this one included)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return os.getloadavg()[0] / cores


def spread(values: Sequence[float]) -> float:
    """How far rounds of one figure disagree: max / min - 1."""
    return max(values) / min(values) - 1.0 if min(values) > 0 else float("inf")


def quiet(spread_: float, load: float) -> bool:
    """Whether a measurement may be kept: its rounds agree and the machine had a core for it."""
    return spread_ <= BUSY_SPREAD and load <= BUSY_LOAD
