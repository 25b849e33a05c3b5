"""Content-addressed store of stage results: a stage whose inputs were seen before is copied, not rerun.

A stage's key is the SHA-256 of what `plan.decide` compares: its notebook, parameter slice, the package
modules it reaches, the installed packages and the hashes of its input files (upstream outputs named
relative to the build folder, so a scenario's ``build/scenarios/bear/training/results.csv`` keys like the
project's ``build/training/results.csv``). A hit copies the stored outputs byte for byte, so every key
downstream matches too: a sweep that changes only market values runs data prep to evaluation once.

Entries live in ``build/cache/stages/<key>/`` (``outputs/`` and the executed notebook), written once through
a staging folder and a rename; a per-key lock makes two scenarios that need the same stage compute it once.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from startup_report.engine.files import to_json
from startup_report.engine.layout import Layout

NOTEBOOK = "notebook.ipynb"


def key(fingerprint: dict[str, Any], portable_inputs: list[tuple[str, str]]) -> str:
    """The stage key: the fingerprint the runner records, with input paths that do not depend on the scenario."""
    payload = {
        "name": fingerprint["name"],
        "notebook_sha256": fingerprint["notebook_sha256"],
        "params": fingerprint["params"],
        "code": fingerprint["code"],
        "environment_sha256": fingerprint["environment_sha256"],
        "inputs": sorted(portable_inputs),
    }
    return hashlib.sha256(to_json(payload).encode()).hexdigest()


def folder(layout: Layout) -> Path:
    return layout.cache / "stages"


def entry(layout: Layout, stage_key: str) -> Path | None:
    """The stored entry of a key, or None (an entry exists only once complete)."""
    path = folder(layout) / stage_key
    return path if (path / NOTEBOOK).is_file() else None


@contextmanager
def computing(layout: Layout, stage_key: str) -> Iterator[None]:
    """Hold the key's lock: a second scenario needing the same stage waits here, then finds the entry."""
    lock = folder(layout) / f".{stage_key}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def store(layout: Layout, stage_key: str, outputs: Path, executed: Path, names: tuple[str, ...]) -> None:
    """Copy a stage's declared outputs and executed notebook in, unless the key is already stored."""
    if entry(layout, stage_key) is not None:
        return
    root = folder(layout)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{stage_key}."))
    try:
        for name in names:
            source = outputs / name
            if source.is_dir():
                shutil.copytree(source, tmp / "outputs" / name)
            else:
                (tmp / "outputs").mkdir(exist_ok=True)
                shutil.copy2(source, tmp / "outputs" / name)
        (tmp / "outputs").mkdir(exist_ok=True)
        shutil.copy2(executed, tmp / NOTEBOOK)
        try:
            tmp.rename(root / stage_key)
        except OSError:  # another process stored the same key first: theirs is identical
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def restore(stored: Path, staging: Path, notebook: str) -> Path:
    """Copy a stored entry into a staging folder shaped like a stage's product; return the notebook's path."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(stored / "outputs", staging)
    shutil.copy2(stored / NOTEBOOK, staging / notebook)
    return staging / notebook
