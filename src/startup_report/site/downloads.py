"""The data behind each chain page, for readers to take away: its CSV and JSON outputs and its executed notebook.

`add_to_book` copies them into the site (``downloads/<stage>/``), ends each chain page with a "Downloads" box
linking them, and writes the appendix page "Downloads and checksums" listing every file with its SHA-256
(from ``build/manifest.json`` for the outputs; computed here for the executed notebooks, which the manifest
does not hash).
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from startup_report.chain import ALL
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout

KINDS = {".csv": "data (CSV)", ".json": "data (JSON)", ".ipynb": "executed notebook"}
MAX_BYTES = 25_000_000  # larger outputs stay out of the site (the manifest still lists them)
PAGE = "book/downloads"


@dataclass(frozen=True)
class Download:
    stage: str
    name: str
    kind: str
    sha256: str
    size: int

    @property
    def href(self) -> str:
        """The link from a page one folder deep (notebooks/ or book/)."""
        return f"../downloads/{self.stage}/{self.name}"


def collect(layout: Layout, manifest: mf.Manifest) -> dict[str, list[Download]]:
    """Stage -> its downloadable files (outputs with a known kind, then the executed notebook)."""
    found: dict[str, list[Download]] = {}
    for stage in ALL:
        record = manifest.stages.get(stage.name)
        items = []
        for output in record.outputs if record else []:
            path = layout.root / output.path
            # the executed notebook is an output too (hashed, so a damaged one reruns its stage); listed once, below
            if path.suffix in KINDS and path.suffix != ".ipynb" and path.is_file() and path.stat().st_size <= MAX_BYTES:
                items.append(Download(stage.name, path.name, KINDS[path.suffix], output.sha256, path.stat().st_size))
        executed = layout.stage_dir(stage.name) / stage.notebook
        if executed.is_file():
            items.append(
                Download(stage.name, stage.notebook, KINDS[".ipynb"], mf.sha256_file(executed), executed.stat().st_size)
            )
        found[stage.name] = items
    return found


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} kB"


def box(items: list[Download]) -> str:
    """The "Downloads" box ending a chain page (raw HTML, which MyST passes through)."""
    rows = "".join(
        f'<li><a href="{html.escape(d.href)}" download>{html.escape(d.name)}</a> — {d.kind}, {_size(d.size)}</li>'
        for d in items
    )
    return (
        '<div class="sr-downloads">\n<h2>Downloads</h2>\n<p>The data behind this page\'s tables and figures, and '
        "the notebook as it ran. SHA-256 checksums: "
        '<a href="../book/downloads.html">Downloads and checksums</a>.</p>\n'
        f"<ul>{rows}</ul>\n</div>"
    )


def page(found: dict[str, list[Download]]) -> str:
    """The appendix page listing every downloadable file with its SHA-256."""
    lines = [
        "# Downloads and checksums",
        "",
        "Every file a chain page offers, with its size and SHA-256 (from `build/manifest.json`; the executed "
        "notebooks' own hashes are computed when the site is built). Check a download with "
        "`sha256sum FILE`.",
        "",
    ]
    for stage, items in found.items():
        if not items:
            continue
        lines += [f"## {stage}", "", "| file | what | size | SHA-256 |", "| --- | --- | --- | --- |"]
        lines += [
            f'| <a href="{d.href}" download>{d.name}</a> | {d.kind} | {_size(d.size)} | `{d.sha256}` |' for d in items
        ]
        lines.append("")
    return "\n".join(lines)


def add_to_book(layout: Layout, manifest: mf.Manifest, target: Path) -> dict[str, list[Download]]:
    """Copy the files into the book source's extra files, add each chain page's box and the appendix page."""
    found = collect(layout, manifest)
    for stage in ALL:
        items = found[stage.name]
        if not items:
            continue
        folder = target / "_vendor" / "downloads" / stage.name
        folder.mkdir(parents=True, exist_ok=True)
        record = manifest.stages.get(stage.name)
        sources = {Path(o.path).name: layout.root / o.path for o in (record.outputs if record else [])}
        sources[stage.notebook] = layout.stage_dir(stage.name) / stage.notebook
        for item in items:
            shutil.copy2(sources[item.name], folder / item.name)
        notebook = target / stage.folder / stage.notebook
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(box(items)))
        nbformat.write(nb, notebook)
    (target / f"{PAGE}.md").write_text(page(found), encoding="utf-8")
    toc_path = target / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    appendix = next((p for p in toc["parts"] if p.get("caption") == "Appendix"), None)
    if appendix is not None and {"file": PAGE} not in appendix["chapters"]:
        appendix["chapters"].append({"file": PAGE})
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return found
