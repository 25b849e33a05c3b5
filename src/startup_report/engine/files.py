"""Writing files so that readers never see half of one: the one JSON writer and the one folder swap.

Every stage output, the manifest and the site go through these two operations, so a crash or a full disk
leaves either the old file (folder) or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_text(path: Path, text: str) -> Path:
    """Write through a temporary file in the same folder and rename it into place (atomic on POSIX)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def to_json(data: Any) -> str:
    """The project's one JSON style: indented, sorted keys, a final newline (stable hashes, small diffs)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: Path, data: Any) -> Path:
    return write_text(path, to_json(data))


def read_json(path: Path | str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def remembered(folder: Path, parts: dict[str, Any], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``compute()``'s result, stored once as ``folder/<digest of parts>.json`` and read back after that: the
    machine cache's memo for results that depend only on ``parts`` (the encoder's speed, DP noise, tokens)."""
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    path = Path(folder) / f"{key}.json"
    if path.is_file():
        return read_json(path)
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(path, value)
    return value


def replace_dir(new: Path, final: Path) -> None:
    """Swap a fully written folder into place; the old one survives until the new one is in."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)
