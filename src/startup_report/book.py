"""Build the Jupyter Book site from the narrative pages and the executed notebooks (no execution here).

The book source is assembled in ``build/.book-src`` (pages + executed notebooks + a provenance page
generated from the manifest) and built with warnings as errors; only a clean build replaces
``_build/html``, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from startup_report import manifest as mf
from startup_report.project import Layout
from startup_report.stages import STAGES


class BookError(RuntimeError):
    """The book cannot be built; the message says what to run or fix."""


def _jupyter_book() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "jupyter_book.cli.main"]


def _fence(lines: list[str]) -> str:
    return "\n".join(["```text", *lines, "```"])


def reproduce_page(manifest: mf.Manifest) -> str:
    """The 'Reproduce this report' appendix: parameters, data hashes, versions, timings, commands."""
    run = manifest.run
    if run is None:
        raise BookError("build/manifest.json has no run: run `startup-report run` first.")
    import yaml

    param_args = " ".join([*(f"--params {p}" for p in run.param_files), *(f"-p {o}" for o in run.overrides)])
    lines = [
        "# Reproduce this report",
        "",
        "This page is generated from `build/manifest.json`, the record the runner keeps of the run that "
        "produced this site.",
        "",
        "## Commands",
        "",
        "```bash",
        f"git checkout {run.git_commit or '<commit>'}",
        f"startup-report run {param_args}".rstrip(),
        "startup-report book",
        "```",
        "",
        f"Run started {run.started} (UTC), finished {run.finished}, outcome **{run.outcome}**; "
        f"git commit `{run.git_commit}`{' with uncommitted changes' if run.git_dirty else ''}.",
        "",
        "## Effective parameters",
        "",
        "```yaml",
        yaml.safe_dump(manifest.params, sort_keys=False).rstrip(),
        "```",
        "",
        "## Stages",
        "",
        "| stage | notebook | outcome of the last run | duration (s) | started (UTC) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for stage in STAGES:
        record = manifest.stages.get(stage.name)
        if record is None:
            continue
        lines.append(
            f"| {stage.name} | `{record.notebook}` | {record.outcome} | {record.duration_s} | {record.started} |"
        )
    lines += ["", "## Input data and outputs (SHA-256)", ""]
    for stage in STAGES:
        record = manifest.stages.get(stage.name)
        if record is None:
            continue
        lines += [f"**{stage.name}**", "", "| file | role | sha256 |", "| --- | --- | --- |"]
        lines += [f"| `{item.path}` | input | `{item.sha256[:16]}…` |" for item in record.inputs]
        lines += [f"| `{item.path}` | output | `{item.sha256[:16]}…` |" for item in record.outputs]
        lines.append("")
    lines += [
        "## Software",
        "",
        f"Python {run.python} on `{run.platform}`, Keras backend `{run.keras_backend}`.",
        "",
        "| package | version |",
        "| --- | --- |",
        *[f"| {name} | {version} |" for name, version in sorted(run.packages.items())],
        "",
    ]
    return "\n".join(lines)


def assemble(layout: Layout, target: Path) -> None:
    """Copy config, pages and executed notebooks into ``target``, the book's source folder."""
    manifest = mf.load(layout.manifest)
    missing = [s.name for s in STAGES if not (layout.stage_dir(s.name) / s.notebook).is_file()]
    if missing:
        raise BookError(f"No executed notebook for {missing}: run `startup-report run` before building the book.")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(layout.root / name, target / name)
    shutil.copytree(layout.root / "book", target / "book")
    (target / "notebooks").mkdir()
    for stage in STAGES:
        shutil.copy2(layout.stage_dir(stage.name) / stage.notebook, target / "notebooks" / stage.notebook)
    (target / "book" / "reproduce.md").write_text(reproduce_page(manifest), encoding="utf-8")


def build(layout: Layout, echo=print) -> Path:
    """Assemble, build with warnings as errors, then swap the new site into ``_build/html``."""
    source = layout.build / ".book-src"
    output = layout.build / ".book-out"
    assemble(layout, source)
    if output.exists():
        shutil.rmtree(output)
    start = time.perf_counter()
    cmd = [
        *_jupyter_book(),
        "build",
        str(source),
        "--path-output",
        str(output),
        "--warningiserror",
        "--keep-going",
        "--quiet",
    ]
    done = subprocess.run(cmd, cwd=layout.root, capture_output=True, text=True)
    built = output / "_build" / "html"
    if done.returncode != 0 or not (built / "index.html").is_file():
        log = (done.stdout + done.stderr).strip().splitlines()
        raise BookError("Jupyter Book build failed; the previous site is untouched.\n" + "\n".join(log[-40:]))
    site = layout.site
    site.parent.mkdir(parents=True, exist_ok=True)
    old = site.with_name("html.old")
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        site.rename(old)
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    echo(f"book built in {time.perf_counter() - start:.1f} s: {site / 'index.html'}")
    return site / "index.html"
