"""Reading the YAML the tool accepts (parameter files, sweep files, `-p` values): strict, and never a traceback.

PyYAML's safe loader keeps the last of two equal keys without a word and turns ``2026-02-30`` into a crash
(``day is out of range``) before any schema sees it. This loader refuses duplicate keys, with their line, and
leaves timestamps as the text written, so the schema parses dates and names the field of an impossible one.
A file that is not UTF-8 text (a binary file) is refused with the file named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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


def loads(text: str, where: str) -> Any:
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


def read(path: Path, what: str = "file") -> Any:
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
    return loads(text, f"{what} {path}")
