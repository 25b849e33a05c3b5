"""A stage's contract with the engine: a notebook, the parameter sections it sees, what it reads and writes.

The engine runs any chain of these; it knows no stage by name. Domain checks that must pass before any
notebook starts (a dataset without its text column, an unknown market key) are the stage's ``preflight``.
What the engine must know of the project beyond its stages (how to read its parameters, the environment
its kernels inherit, the package whose code keys a stage) it is handed in a :class:`Chain`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, overload

from startup_report.engine.fingerprint import Code

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
    # prices or compares: the runner runs no other stage beside it.
    timed: bool = False

    @property
    def source(self) -> str:
        return f"{self.folder}/{self.notebook}"


class Parameters(Protocol):
    """How the engine reads a chain's parameters, which it otherwise passes on unopened (to the stages'
    ``external_inputs`` and ``preflight``)."""

    def values(self, params: Any, keys: Sequence[str]) -> dict[str, Any]:
        """The JSON values of a stage's keys: what the manifest records and a stage's key hashes."""
        ...

    def changed(self, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
        """The names of the values that differ between two results of ``values``, for the reasons a stage reruns."""
        ...

    def notebook(self, stage: Stage, params: Any) -> dict[str, Any]:
        """The papermill parameters a stage's notebook receives for its keys (the runner adds the paths)."""
        ...

    def dump(self, params: Any) -> dict[str, Any]:
        """Every parameter as JSON, recorded as the run's parameters."""
        ...


@dataclass(frozen=True)
class Chain(Sequence[Stage]):
    """The stages the engine runs, in order, and what it must be told about the project that declares them."""

    stages: tuple[Stage, ...]
    parameters: Parameters
    code: Code  # the package whose modules a stage's notebook reaches: its code key
    kernel_env: Mapping[str, str] = field(default_factory=dict)  # environment every notebook kernel inherits
    # Facts a run records about the machine and the stack (manifest.RunRecord fields), asked once per run.
    run_facts: Callable[[], dict[str, Any]] = field(default=dict, compare=False)

    def only(self, stages: Sequence[Stage]) -> Chain:
        """The same project with other stages (a sweep runs the chain without the book's chapters)."""
        return replace(self, stages=tuple(stages))

    @overload
    def __getitem__(self, index: int) -> Stage: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Stage]: ...
    def __getitem__(self, index: int | slice) -> Stage | Sequence[Stage]:
        return self.stages[index]

    def __len__(self) -> int:
        return len(self.stages)

    def __iter__(self) -> Iterator[Stage]:
        return iter(self.stages)
