"""The sweep file: named scenarios or a grid, expanded and validated before any scenario runs.

A sweep file names the sweep and either lists scenarios (each a parameter overlay, nested or with dotted
keys) or gives a grid (dotted keys with lists of values, expanded to their product, one generated name per
combination). Every scenario's parameters are loaded with the project's loader, so a bad value is an error
that names the scenario and the dotted key before anything runs (exit 2).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from startup_report.engine import layout as names
from startup_report.params import Params, ParamsError, load_params
from startup_report.params.loading import YamlError, read_yaml_file

NAME = names.NAME_PATTERN
MAX_SCENARIOS = 500  # default limit of `startup-report sweep --max-scenarios`


class SweepError(ValueError):
    """A bad sweep file or scenario (exit 2): the message names the scenario or field and the fix."""


class SweepFile(BaseModel):
    """Schema of params/sweeps/*.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The sweep's name: its folder build/sweeps/<name> and page.")
    title: str = Field("", description="Title of the comparison page (default: from the name).")
    description: str = Field("", description="What the sweep asks, shown on top of its comparison page.")
    base: list[str] = Field(
        default_factory=list, description="Parameter files (relative to the project root) under every scenario."
    )
    scenarios: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Named scenarios, each a parameter overlay (nested or dotted keys)."
    )
    grid: dict[str, list[Any]] = Field(
        default_factory=dict, description="Dotted keys with lists of values; every combination is a scenario."
    )

    @field_validator("name")
    @classmethod
    def _safe(cls, name: str) -> str:
        return names.safe_name(name, "name")

    @field_validator("scenarios")
    @classmethod
    def _names(cls, scenarios: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name in scenarios:
            names.safe_name(name, f"scenario {names.shown(name)}")
        _distinct(list(scenarios))
        return scenarios

    @field_validator("grid")
    @classmethod
    def _values(cls, grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for key in grid:
            for part in str(key).split("."):
                names.label(part, f"grid key {names.shown(key)}")
        empty = [key for key, values in grid.items() if not values]
        if empty:
            raise ValueError(f"grid keys {empty} have no values; give each a non-empty list")
        return grid

    @model_validator(mode="after")
    def _one_kind(self) -> SweepFile:
        if bool(self.scenarios) == bool(self.grid):
            raise ValueError("give either `scenarios` (named overlays) or `grid` (keys with lists), not both or none")
        return self


@dataclass(frozen=True)
class Scenario:
    """One scenario: its name, its overrides (dotted.key=value, after the base), and its validated parameters."""

    name: str
    overrides: tuple[str, ...]
    params: Params


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: the file, the base files, the scenarios in order and the keys they vary."""

    spec: SweepFile
    param_files: tuple[Path, ...]
    base_overrides: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    swept: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.spec.name


def flat(overlay: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested and dotted keys alike, as dotted keys to leaf values."""
    out: dict[str, Any] = {}
    for key, value in overlay.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flat(value, f"{dotted}."))
        else:
            out[dotted] = value
    return out


def override(key: str, value: Any) -> str:
    """A `-p` override that reads back as the same value (YAML keeps 1e-05 a float, JSON would not)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**9).strip()
    return f"{key}={text.removesuffix('...').strip()}"


def _distinct(scenario_names: Sequence[str]) -> None:
    """Scenario names name folders: two that differ only in case would share one on a case-insensitive disk."""
    seen: dict[str, str] = {}
    for name in scenario_names:
        if name.lower() in seen:
            raise ValueError(
                f"scenario names {seen[name.lower()]!r} and {name!r} name the same folder; give each scenario "
                "its own name"
            )
        seen[name.lower()] = name


def count(spec: SweepFile) -> int:
    """How many scenarios the file asks for, without expanding a grid."""
    return len(spec.scenarios) if spec.scenarios else math.prod(len(values) for values in spec.grid.values())


def expand(spec: SweepFile, max_scenarios: int = MAX_SCENARIOS) -> dict[str, dict[str, Any]]:
    """Scenario name -> flat overlay; a grid's names join each key's last part with its value, as a safe slug.

    A sweep of more than ``max_scenarios`` scenarios is refused before anything is expanded (each is a whole
    chain): the user confirms a large one by raising the limit."""
    total = count(spec)
    if total > max_scenarios:
        raise SweepError(
            f"sweep {spec.name!r} asks for {total:,} scenarios, more than the limit of {max_scenarios:,} (each one "
            f"is a whole chain). Shrink the grid, or confirm with --max-scenarios {total}."
        )
    if spec.scenarios:
        return {name: flat(overlay) for name, overlay in spec.scenarios.items()}
    keys = list(spec.grid)
    short = [key.rsplit(".", 1)[-1] for key in keys]
    if len({names.slug(s, keep="_").lower() for s in short}) < len(short):
        short = [key.replace(".", "-") for key in keys]
    expanded: dict[str, dict[str, Any]] = {}
    folders: set[str] = set()
    for values in itertools.product(*spec.grid.values()):
        parts = (f"{names.slug(s, keep='_')}-{names.slug(v)}" for s, v in zip(short, values, strict=True))
        name = names.slug("_".join(parts), keep="_")
        if name.lower() in folders:
            raise SweepError(
                f"grid values {names.shown(values)} give the scenario name {name!r} twice (names are cut to "
                f"{names.MAX_NAME} characters, case aside); make the values distinct or use named `scenarios`"
            )
        folders.add(name.lower())
        expanded[name] = dict(zip(keys, values, strict=True))
    return expanded


def read(path: Path) -> SweepFile:
    try:
        content = read_yaml_file(path, "Sweep file")
    except YamlError as exc:
        raise SweepError(f"{exc} (a sweep file looks like params/sweeps/scenarios.yaml)") from None
    if content is not None and not isinstance(content, dict):
        kind = type(content).__name__
        raise SweepError(f"Sweep file {path} must hold a mapping (name, scenarios or grid), not {kind}.")
    try:
        return SweepFile.model_validate(content or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part)[:80] for part in e['loc']) or 'file'}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise SweepError(f"Sweep file {path}: {problems}") from None


def load(
    root: Path,
    spec: SweepFile,
    param_files: Sequence[Path] = (),
    overrides: Sequence[str] = (),
    max_scenarios: int = MAX_SCENARIOS,
) -> Sweep:
    """Validate every scenario's parameters (defaults, base files, `--params`, `-p`, then its overlay)."""
    files = tuple(root / name for name in spec.base) + tuple(param_files)
    scenarios = []
    swept: list[str] = []
    for name, overlay in expand(spec, max_scenarios).items():
        scenario_overrides = tuple(override(key, value) for key, value in overlay.items())
        try:
            params = load_params(root, files, [*overrides, *scenario_overrides])
        except ParamsError as exc:
            raise SweepError(f"scenario {name!r}: {exc}") from None
        scenarios.append(Scenario(name, scenario_overrides, params))
        swept += [key for key in overlay if key not in swept]
    return Sweep(spec, files, tuple(overrides), tuple(scenarios), tuple(swept))


def value(params: Params, dotted: str) -> Any:
    """A scenario's effective value of a swept key (also for scenarios that leave it at the base)."""
    data: Any = params.model_dump(mode="json")
    for part in dotted.split("."):
        data = data[part]
    return data


def preflight(sweep: Sweep, root: Path, stages: Sequence[Any]) -> None:
    """Every scenario's input checks (datasets, market keys), each distinct one once, before any scenario runs."""
    from startup_report.engine.stage import InputError

    done: set[tuple[object, str]] = set()
    for scenario in sweep.scenarios:
        dumped = scenario.params.model_dump_json()
        for stage in stages:
            for check in stage.preflight:
                if (check, dumped) in done:
                    continue
                done.add((check, dumped))
                try:
                    check(scenario.params, root)
                except InputError as exc:
                    raise SweepError(f"scenario {scenario.name!r}: {exc}") from None
