"""Copies of the project that the bench and the end-to-end tests build in, so the checkout's build stays as it
is: its sources in a folder, or a fresh clone of the committed HEAD put through CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def copy_sources(root: Path, target: Path) -> Path:
    """Copy what a project is built from (book config, chapters, notebooks, parameters, data) from ``root`` into
    ``target``, with the MathJax that `make vendor` fetched if there is one (the site then renders offline);
    no build. The bench and the end-to-end tests build such copies, so the checkout's build stays as it is."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(root / name, target / name)
    for name in ("book", "notebooks", "params", "data"):
        shutil.copytree(root / name, target / name)
    vendor = root / "build" / "vendor"
    if vendor.is_dir():
        shutil.copytree(vendor, target / "build" / "vendor")
    return target


def ci_seconds(root: Path) -> tuple[float, int]:
    """`bash .ci/run` on a fresh clone of the committed HEAD (what CI runs: install, lint, every test), its
    seconds and exit code; the clone is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-ci-") as tmp:
        clone = Path(tmp) / "project"
        subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
        shared = root.parent / "shared"
        if shared.is_dir():  # CI puts the team's shared folder beside the clone
            (Path(tmp) / "shared").symlink_to(shared)
        start = time.perf_counter()
        quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        done = subprocess.run(["bash", ".ci/run"], cwd=clone, env={**os.environ, "CI": "true"}, **quiet)
        return time.perf_counter() - start, done.returncode
