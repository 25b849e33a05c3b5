"""Loading parameters: defaults, YAML overlays and `-p` overrides, validated; slices and dumps for the runner."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from startup_report.params import yamlfile
from startup_report.params.messages import ParamsError, format_validation_error, shown
from startup_report.params.schema import SECTIONS, Params
from startup_report.params.section import Section


def _deep_merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        content = yamlfile.read(path, "Parameter file")
    except yamlfile.YamlError as exc:
        raise ParamsError(f"{exc} (--params takes a YAML file such as params/smoke.yaml)") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParamsError(f"Parameter file {path} must hold a mapping of sections, not {type(content).__name__}.")
    return content


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``dotted.key=value``; the value is read as YAML (``3`` is an int, ``null`` is None, a date stays its
    text). An empty value is an error: write ``null`` where the schema allows it."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ParamsError(f"Override {shown(text)} must look like dotted.key=value, e.g. -p training.epochs=5.")
    if not raw.strip():
        raise ParamsError(
            f"-p {key[:80]}= has no value. Give one (`null` where the key allows it, e.g. -p data.test=null; "
            "`startup-report params --schema` says which do), or leave the key out."
        )
    try:
        value = yamlfile.loads(raw, f"-p {shown(key)}")
    except yamlfile.YamlError as exc:
        raise ParamsError(f"Override {shown(text)}: {exc}") from None
    return key.split("."), value


def load_params(root: Path, param_files: Iterable[Path] = (), overrides: Iterable[str] = ()) -> Params:
    """Defaults, then each ``--params`` file (later wins), then each ``-p`` override; then validate."""
    merged = _read_yaml(root / "params" / "default.yaml")
    param_files = list(param_files)
    origin = ["params/default.yaml"]
    for path in param_files:
        merged = _deep_merge(merged, _read_yaml(path))
        origin.append(str(path))
    for text in overrides:
        parts, value = parse_override(text)
        overlay: dict[str, Any] = {parts[-1]: value}
        for part in reversed(parts[:-1]):
            overlay = {part: overlay}
        merged = _deep_merge(merged, overlay)
        origin.append(f"-p {text if len(text) <= 120 else text[:117] + '...'}")
    try:
        return Params.model_validate(merged)
    except ValidationError as exc:
        raise ParamsError(format_validation_error(exc, " + ".join(origin))) from exc


def flatten(params: Params, keys: Iterable[str]) -> dict[str, Any]:
    """Notebook variables for the given top-level keys: ``seed`` and ``<section>_<field>``."""
    dumped = params.model_dump(mode="json")
    flat: dict[str, Any] = {}
    for key in keys:
        value = dumped[key]
        if key in SECTIONS:
            flat.update({f"{key}_{name}": item for name, item in value.items()})
        else:
            flat[key] = value
    return flat


def section_values(params: Params, keys: Iterable[str]) -> dict[str, Any]:
    """The stage's slice of the parameters, as plain JSON-ready data (for hashing and the manifest)."""
    dumped = params.model_dump(mode="json")
    return {key: dumped[key] for key in keys}


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two parameter slices."""
    changed: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        dotted = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            changed += changed_keys(a, b, prefix=f"{dotted}.")
        elif a != b:
            changed.append(dotted)
    return changed


def schema_json() -> str:
    return json.dumps(Params.model_json_schema(), indent=2)


ParamsFormat = Literal["yaml", "json"]


def dump(params: Params, fmt: ParamsFormat = "yaml") -> str:
    data = params.model_dump(mode="json")
    if fmt == "json":
        return json.dumps(data, indent=2)
    return yaml.safe_dump(data, sort_keys=False)


def from_namespace(model: type[Section], prefix: str, namespace: dict[str, Any]) -> Any:
    """Rebuild (and re-validate) a section from a notebook's ``<prefix>_<field>`` variables."""
    return model(**{name: namespace[f"{prefix}_{name}"] for name in model.model_fields})
