"""Input checks that run before any notebook: a bad dataset or market file costs seconds, not a run."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from startup_report.engine.stage import Stage


def check_inputs(stages: Iterable[Stage], params: Any, root: Path) -> None:
    """Run the preflight checks of the stages about to run, each check once, in chain order."""
    done: set[object] = set()
    for stage in stages:
        for check in stage.preflight:
            if check not in done:
                done.add(check)
                check(params, root)
