"""docs/performance.md, written by `make bench`: one table per bench run, headed by its CPU, commit and date.

The page holds figures only; why a figure is what it is belongs in the code and docs that make it. A new run's
table goes on top and earlier runs stay below it, so two CPUs or two commits read side by side.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

PAGE = Path("docs") / "performance.md"
MARK = "<!-- runs: newest first; `make bench` inserts each run here -->"
HEADER = f"""# Performance

Written by `make bench` (`python -m startup_report.devtools.bench`): every figure is a wall-clock measurement
of one run on the CPU named in its heading. Compare figures of one table; a shared host's speed drifts.

{MARK}
"""


@dataclass(frozen=True)
class Figure:
    """One printed line of the bench: what was measured, the value with its unit, and a note (target, ratio)."""

    group: str
    label: str
    value: str
    note: str = ""


def commit(root: Path) -> str:
    """The checkout's commit, short, with '+dirty' when it has uncommitted changes; 'unknown' outside git."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    except OSError:
        return "unknown"
    if sha.returncode:
        return "unknown"
    return sha.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def section(figures: list[Figure], cpu: str, commit: str, when: dt.date) -> str:
    """The Markdown of one bench run: a heading with CPU, commit and date, then one table of its figures."""
    rows = ["| group | figure | value | note |", "| --- | --- | --- | --- |"]
    rows += [f"| {f.group} | {f.label} | {f.value} | {f.note} |".replace("\n", " ") for f in figures]
    return f"## {when.isoformat()} · {cpu} · commit {commit}\n\n" + "\n".join(rows) + "\n"


def write(root: Path, figures: list[Figure], cpu: str, when: dt.date | None = None) -> Path:
    """Insert this run's table at the top of docs/performance.md (created with its header if missing)."""
    page = root / PAGE
    text = page.read_text(encoding="utf-8") if page.exists() else HEADER
    if MARK not in text:
        text = HEADER + "\n" + text
    head, tail = text.split(MARK, 1)
    new = section(figures, cpu, commit(root), when or dt.date.today())
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"{head}{MARK}\n\n{new}{tail.rstrip()}\n" if tail.strip() else f"{head}{MARK}\n\n{new}", "utf-8")
    return page
