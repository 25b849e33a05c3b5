"""The report's parameters as the engine reads them (``engine.stage.Parameters``): a stage's slice as JSON,
the dotted keys that changed, and what a notebook receives.

What a notebook receives is one function, ``notebook_values(params, keys)``, which the chain may swap
without touching the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from startup_report.params.loading import changed_keys, section_values
from startup_report.params.notebook import notebook_values
from startup_report.params.schema import Params

NotebookValues = Callable[[Params, Iterable[str]], dict[str, Any]]


@dataclass(frozen=True)
class ChainParameters:
    """``engine.stage.Parameters`` for :class:`Params`."""

    notebook_values: NotebookValues = notebook_values

    def values(self, params: Params, keys: Sequence[str]) -> dict[str, Any]:
        return section_values(params, keys)

    def changed(self, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
        return changed_keys(old, new)

    def notebook(self, stage: Any, params: Params) -> dict[str, Any]:
        return self.notebook_values(params, stage.keys)

    def dump(self, params: Params) -> dict[str, Any]:
        return params.model_dump(mode="json")
