"""What a notebook receives from the parameters, and how it reads its sections back as validated objects.

The runner hands a notebook its stage's keys as papermill parameters: ``seed`` as a number and each section
(``market``, ``training``, ...) as one plain dict. The notebook's parameters cell names them with ``{}`` as
the default, and its next cell turns each into its section's object with :func:`section`: an empty dict
gives the defaults of ``params/default.yaml``, a partial one overrides only the keys it names (a hand run,
``papermill -y "market: {cac_usd: 60000}"``), and a bad value stops the notebook with the same message the
command line gives, naming the dotted key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from startup_report.params.loading import section_values
from startup_report.params.messages import ParamsError, format_validation_error
from startup_report.params.schema import SECTIONS, Params
from startup_report.section import Section


def notebook_values(params: Params, keys: Iterable[str]) -> dict[str, Any]:
    """The papermill parameters of a stage's keys: ``seed`` as itself, each section as one JSON-ready dict."""
    return section_values(params, keys)


def section(name: str, values: Mapping[str, Any] | None = None) -> Section:
    """The section ``name`` validated from the dict a notebook received: defaults for the keys it lacks.

    A key set in ``params/default.yaml`` but left out here takes the schema's default, which equals it (a test
    holds them equal), so ``section("market", {})`` is the report's default market.
    """
    if name not in SECTIONS:
        raise ParamsError(f"{name!r} is not a parameter section; the sections are {', '.join(SECTIONS)}.")
    if values is not None and not isinstance(values, Mapping):
        raise ParamsError(f"{name}: must be a mapping of its keys, not {type(values).__name__}.")
    try:
        return getattr(Params.model_validate({name: dict(values or {})}), name)
    except ValidationError as exc:
        raise ParamsError(format_validation_error(exc, f"the notebook's `{name}` parameter")) from exc
