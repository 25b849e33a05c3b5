"""Build the Jupyter Book site from the narrative pages and the executed notebooks (no execution here).

The book source is assembled in ``build/.book-src`` (pages + executed notebooks + a provenance page
generated from the manifest, each chain page's downloads) and built with warnings as errors. Where Chromium
is installed the new site is then printed to one PDF (``site/pdf.py``) and read page by page as a reader
sees it (``site/pagecheck.py``); a page a reader would find broken fails the build like a warning does.
Only a clean, checked build replaces ``_build/html``, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

from startup_report.chain import ALL
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.site import diagram, downloads, publish, sweeps
from startup_report.site.folding import fold_notebook
from startup_report.site.publish import BookError


def _jupyter_book() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "jupyter_book.cli.main"]


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
    for stage in ALL:
        record = manifest.stages.get(stage.name)
        if record is None:
            continue
        lines.append(
            f"| {stage.name} | `{record.notebook}` | {record.outcome} | {record.duration_s} | {record.started} |"
        )
    lines += ["", "## Input data and outputs (SHA-256)", ""]
    for stage in ALL:
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


MATHJAX = Path("build/vendor/node_modules/mathjax/es5")


def _vendor_mathjax(layout: Layout, target: Path) -> bool:
    """Copy the npm-installed MathJax (``make vendor``) into the site, so math renders without a CDN.

    It goes to an extra path, not ``_static``: Jupyter Book adds every .js file under ``_static`` to every
    page, which would load MathJax (and its font table) twice.
    """
    source = layout.root / MATHJAX
    if not (source / "tex-mml-chtml.js").is_file():
        return False
    vendor = target / "_vendor" / "mathjax"
    (vendor / "output" / "chtml").mkdir(parents=True)
    shutil.copy2(source / "tex-mml-chtml.js", vendor / "tex-mml-chtml.js")
    shutil.copytree(source / "output" / "chtml" / "fonts", vendor / "output" / "chtml" / "fonts")
    return True


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _drop_duplicate_inline_scripts(site: Path) -> None:
    """Jupyter Book 1 emits some extensions' inline scripts twice (sphinx-thebe's `const THEBE_JS_URL`
    among them), which a browser reports as a redeclaration error; keep the first copy of each."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        seen: set[str] = set()
        parts, last = [], 0
        for match in _INLINE_SCRIPT.finditer(html):
            if match.group(1) in seen:
                parts.append(html[last : match.start()])
                last = match.end()
            seen.add(match.group(1))
        if parts:
            page.write_text("".join(parts) + html[last:], encoding="utf-8")


def _configure(target: Path, mathjax: bool) -> None:
    """Settings known only at build time: the bundled MathJax and the repository URL (CI sets it)."""
    import yaml

    config_path = target / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    if mathjax:
        sphinx["mathjax_path"] = "../mathjax/tex-mml-chtml.js"  # relative to _static: the site's mathjax/
    if (target / "_vendor").is_dir():  # MathJax and the sweeps' static notebook pages, copied as they are
        sphinx["html_extra_path"] = ["_vendor"]
    repository = os.environ.get("REPORT_REPOSITORY_URL")
    if repository:
        config["repository"] = {"url": repository, "path_to_book": ".", "branch": "main"}
        config.setdefault("html", {})["use_repository_button"] = True
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


TOOLS = (
    ("papermill", "executes each notebook with the stage's parameters; a failing cell stops the chain"),
    ("jupyter-book", "compiles the executed notebooks and pages into this site (Sphinx, MyST, myst-nb glue)"),
    ("keras", "defines and trains the from-scratch models and the frozen-encoder head, on the jax backend"),
    ("jax", "the Keras backend: on this CPU it trains our small models about twice as fast as torch"),
    ("torch", "runs the pretrained encoder and its fine-tuning (CPU build)"),
    ("sentence-transformers", "loads all-MiniLM-L6-v2 from its package and embeds messages"),
    ("scikit-learn", "TF-IDF + logistic regression, splits and metrics"),
    ("pandas", "every table, from the dataset to the plan"),
    ("seaborn", "figures (with matplotlib)"),
    ("pydantic", "validates parameters, the manifest and the evaluation hand-off"),
    ("pandera", "validates the sourced market files"),
    ("playwright", "drives the system's Chromium to read every page as a reader does and print the PDF"),
)


def tools_page(manifest: mf.Manifest) -> str:
    """'Tools and resources': what the project uses and why, with the versions of the recorded run."""
    versions = manifest.run.packages if manifest.run else {}
    rows = [f"| {name} | {versions.get(name, 'not installed')} | {why} |" for name, why in TOOLS]
    return "\n".join(
        [
            "# Tools and resources",
            "",
            "What this report is built with, and why. Versions are those of the run that produced this site "
            "(from `build/manifest.json`; see [Reproduce this report](reproduce.md)).",
            "",
            "| package | version | what it does here |",
            "| --- | --- | --- |",
            *rows,
            "",
            "## Reading list",
            "",
            "- The Transformer {cite}`Vaswani2017` and BERT {cite}`Devlin2019`: the architecture and the "
            "pretrain-then-fine-tune recipe.",
            "- Scaling laws {cite}`Kaplan2020,Hoffmann2022`: how parameters, data and compute trade off.",
            "- Sentence-BERT {cite}`Reimers2019` and MiniLM {cite}`Wang2020MiniLM`: the encoder family we use.",
            "- Calibration {cite}`Guo2017` and selective classification {cite}`Geifman2017`: when a model may answer.",
            "- BANKING77 and dual sentence encoders {cite}`Casanueva2020`: the dataset and the published baseline.",
            "- Generative AI at work {cite}`Brynjolfsson2025`: measured productivity in customer support.",
            "- Scikit-learn {cite}`Pedregosa2011` and Keras {cite}`Chollet2015`: the libraries.",
            "",
        ]
    )


def assemble(layout: Layout, target: Path) -> None:
    """Copy config, pages and executed notebooks into ``target``, the book's source folder."""
    manifest = mf.load(layout.manifest)
    missing = [s.name for s in ALL if not (layout.stage_dir(s.name) / s.notebook).is_file()]
    if missing:
        raise BookError(f"No executed notebook for {missing}: run `startup-report run` before building the book.")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(layout.root / name, target / name)
    shutil.copytree(layout.root / "book", target / "book")
    (target / "notebooks").mkdir()
    for stage in ALL:  # executed copies replace the output-free sources
        copy = target / stage.folder / stage.notebook
        shutil.copy2(layout.stage_dir(stage.name) / stage.notebook, copy)
        fold_notebook(copy, every=not stage.show_code)  # readers first: one click shows the code
    diagram.write_svg(ALL, target / "book" / "chain.svg")
    (target / "book" / "reproduce.md").write_text(reproduce_page(manifest), encoding="utf-8")
    (target / "book" / "tools.md").write_text(tools_page(manifest), encoding="utf-8")
    downloads.add_to_book(layout, manifest, target)
    sweeps.add_to_book(layout, target)
    _add_assets(target)
    _configure(target, _vendor_mathjax(layout, target))


def _add_assets(target: Path) -> None:
    """The report's script and style sheet (table sorting, provenance line, print layout) on every page."""
    static = target / "_static"
    static.mkdir(exist_ok=True)
    for name in ("sortable.js", "report.css"):
        (static / name).write_bytes(resources.files("startup_report.site").joinpath("assets", name).read_bytes())


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
    _drop_duplicate_inline_scripts(built)
    publish.finish(layout, source, built, echo)
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
