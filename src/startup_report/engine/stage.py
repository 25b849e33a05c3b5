"""A stage's contract with the engine: a notebook, the parameter sections it sees, what it reads and writes.

The engine runs any chain of these; it knows no stage by name. Domain checks that must pass before any
notebook starts (a dataset without its text column, an unknown market key) are the stage's ``preflight``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Files = Callable[[Any, Path], list[Path]]
Check = Callable[[Any, Path], None]


class InputError(ValueError):
    """Bad input found before any stage ran (exit code 2): the message names the file or key and the fix."""


def no_files(params: Any, root: Path) -> list[Path]:
    return []


@dataclass(frozen=True)
class Stage:
    """One notebook of the chain (or a book chapter that computes) and its contract with the runner."""

    name: str
    notebook: str
    keys: tuple[str, ...]  # parameter sections (or top-level keys) the notebook receives
    outputs: tuple[str, ...]  # files (or folders) the notebook must write into `product`
    upstream: tuple[str, ...] = ()
    external_inputs: Files = field(default=no_files, compare=False)
    preflight: tuple[Check, ...] = field(default=(), compare=False)  # raise InputError on bad input
    folder: str = "notebooks"  # where the source notebook lives; computing book chapters live in book/
    cache: bool = False  # the notebook receives `cache`, a folder of content-addressed results shared by runs
    show_code: bool = False  # in the site, code cells stay open (worked math); otherwise they are folded
    # The notebook measures time on this machine (training, serving, the encoder's speed) for figures the report
    # prices or compares: the runner runs no other stage beside it (unless ``measures`` says nothing is left).
    timed: bool = False
    # For a timed stage whose measurements may all be stored already: whether it would measure anything now,
    # asked (params, layout) once its upstream stages have finished. None: it always measures.
    measures: Callable[[Any, Any], bool] | None = field(default=None, compare=False)

    def measures_now(self, params: Any, layout: Any) -> bool:
        """Whether the stage times something if it runs now (a failing check counts as yes: quiet is safe, and
        the stage runs alone as it would without the check)."""
        if not self.timed:
            return False
        if self.measures is None:
            return True
        try:
            return bool(self.measures(params, layout))
        except Exception:
            return True

    @property
    def source(self) -> str:
        return f"{self.folder}/{self.notebook}"
