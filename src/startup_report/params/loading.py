"""Loading parameters: defaults, YAML overlays and `-p` overrides, validated; slices and dumps for the runner."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from startup_report.params.messages import ParamsError, format_validation_error, shown
from startup_report.params.schema import Params

# Reading the YAML the tool accepts (parameter files, sweep files, `-p` values): strict, and never a traceback.
# PyYAML's safe loader keeps the last of two equal keys without a word and turns ``2026-02-30`` into a crash
# (``day is out of range``) before any schema sees it. This loader refuses duplicate keys, with their line, and
# leaves timestamps as the text written, so the schema parses dates and names the field of an impossible one.
# A file that is not UTF-8 text (a binary file) is refused with the file named.
MAX_BYTES = 5_000_000  # a parameter or sweep file is a few kB; anything this large is a wrong path


class YamlError(ValueError):
    """A YAML text the tool cannot read; the message names the file (or `-p` value), the line and the fix."""


class StrictLoader(yaml.SafeLoader):
    """Safe loading, with duplicate keys refused and timestamps kept as their text."""


def _mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain value, not {type(key).__name__}", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                f"key {key!r} first given on line {seen[key] + 1}",
                None,
                f"duplicate key {key!r}: give each key once (the second would silently replace the first)",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_yaml_text(text: str, where: str) -> Any:
    """Parse YAML text; YamlError naming ``where`` (a file, or a `-p` override) and the line of a problem."""
    if "\0" in text:
        raise YamlError(f"{where} holds NUL bytes: it is not a YAML text file. Pass a YAML file.")
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise YamlError(
            f"{where} is not valid YAML: {str(exc).replace(chr(34) + '<unicode string>' + chr(34) + ', ', '')}"
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an int too large, a deeply nested text
        raise YamlError(f"{where}: cannot be read ({type(exc).__name__}: {str(exc)[:200]}).") from None


def read_yaml_file(path: Path, what: str = "file") -> Any:
    """Read and parse one YAML file; YamlError for a missing, huge, binary or malformed one."""
    try:
        if not path.is_file():
            raise YamlError(f"{what} {path} not found (or not a file). Pass an existing YAML file.")
        if path.stat().st_size > MAX_BYTES:
            raise YamlError(f"{what} {path} is larger than {MAX_BYTES // 1_000_000} MB: it is not a parameter file.")
        data = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        if isinstance(exc, YamlError):
            raise
        problem = type(exc).__name__
        raise YamlError(f"{what} {str(path)[:200]!r} cannot be read ({problem}). Pass a YAML file.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(
            f"{what} {path} is not UTF-8 text (byte {exc.start}): is it a binary file? Pass a YAML file."
        ) from None
    return read_yaml_text(text, f"{what} {path}")


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
        content = read_yaml_file(path, "Parameter file")
    except YamlError as exc:
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
        value = read_yaml_text(raw, f"-p {shown(key)}")
    except YamlError as exc:
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
