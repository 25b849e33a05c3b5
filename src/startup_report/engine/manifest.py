"""The run manifest, ``build/manifest.json``: what ran, with which parameters, inputs and versions.

It is both the provenance record readers see in the book and the runner's memory: a stage is up to
date when its fingerprint (notebook, parameters, input hashes, package code) equals the recorded one.
The JSON Schema of this file is committed as ``schemas/manifest.schema.json``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from startup_report.engine.files import write_text

SCHEMA_VERSION = 2

class FileRecord(BaseModel):
    """One file and the SHA-256 of its bytes."""

    path: str = Field(description="Path relative to the project root (absolute when outside it).")
    sha256: str


class StageRecord(BaseModel):
    """The last attempt of one stage, and the fingerprint of its last good outputs."""

    name: str
    notebook: str = Field(description="Source notebook, relative to the project root.")
    executed_notebook: str | None = Field(description="Executed copy of the last good run (or the failed one).")
    params: dict[str, Any] = Field(description="The parameter slice the stage received.")
    inputs: list[FileRecord] = Field(description="Raw inputs and upstream outputs it read.")
    outputs: list[FileRecord] = Field(description="Declared outputs of the last good run.")
    notebook_sha256: str
    code: dict[str, str] = Field(
        default_factory=dict, description="Package modules the notebook reaches through imports, with SHA-256."
    )
    environment_sha256: str = Field("", description="Hash of the installed distributions and their versions.")
    started: str | None = Field(description="ISO 8601 UTC start of the last attempt.")
    duration_s: float | None
    outcome: Literal["ran", "reused", "up to date", "failed", "not run"]
    reason: str = Field(description="Why it ran (or why it would need to).")
    error: str | None = None
    stage_key: str = Field("", description="Key of its outputs in build/cache/stages (reused when seen before).")


class RunRecord(BaseModel):
    """Facts about the latest `startup-report run`."""

    started: str
    finished: str | None = None
    duration_s: float | None = None
    outcome: Literal["success", "failed", "running", "interrupted"] = Field(
        description="running while it runs (also after a crash that left no word); interrupted after Ctrl-C or "
        "SIGTERM; `book` publishes only a success."
    )
    command: list[str]
    param_files: list[str]
    overrides: list[str]
    python: str
    platform: str
    keras_backend: str = Field("", description="The Keras backend the notebooks ran on.")
    cpu: str = Field("", description="CPU model name (timings and bf16 support depend on it).")
    native_bf16: bool = Field(False, description="Whether the CPU computes bfloat16 natively (AVX512-BF16/AMX).")
    task_pool: str = Field("in-process", description="Where independent tasks ran: in-process or a Dask cluster.")
    git_commit: str | None
    git_dirty: bool | None
    packages: dict[str, str] = Field(default_factory=dict, description="Versions of the packages the report names.")


class Manifest(BaseModel):
    """Schema of build/manifest.json."""

    schema_version: int = SCHEMA_VERSION
    run: RunRecord | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="Effective parameters of the latest run.")
    stages: dict[str, StageRecord] = Field(default_factory=dict)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_path(path: Path) -> str:
    """A file's hash, or for a folder the hash of its files' relative paths and hashes."""
    if path.is_file():
        return sha256_file(path)
    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{item.relative_to(path).as_posix()}\0{sha256_file(item)}\n".encode())
    return digest.hexdigest()


def package_versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution in ``names`` (those not installed are left out)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_state(root: Path) -> tuple[str | None, bool | None]:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = git("status", "--porcelain", "--untracked-files=no")
    return commit, bool(status) if status is not None else None


def new_run(
    command: list[str], param_files: list[str], overrides: list[str], root: Path, facts: Mapping[str, Any] | None = None
) -> RunRecord:
    """A run starting now; ``facts`` are what the chain records about the machine and its stack
    (``Chain.run_facts()``: the CPU, the packages it names), by their field names."""
    commit, dirty = git_state(root)
    return RunRecord(
        started=now_iso(),
        outcome="running",
        command=command,
        param_files=param_files,
        overrides=overrides,
        python=sys.version.split()[0],
        platform=platform.platform(),
        git_commit=commit,
        git_dirty=dirty,
        **(facts or {}),
    )


def load(path: Path) -> Manifest:
    if not path.is_file():
        return Manifest()
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        # An unreadable or older manifest only means every stage is treated as never run.
        return Manifest()


def save(manifest: Manifest, path: Path) -> None:
    write_text(path, manifest.model_dump_json(indent=2) + "\n")


def schema_json() -> str:
    return json.dumps(Manifest.model_json_schema(), indent=2) + "\n"
