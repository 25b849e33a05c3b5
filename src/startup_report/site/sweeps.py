"""A sweep's comparison page, written when the sweep ends, and its place in the book.

`write_page` snapshots the sweep into ``build/sweeps/<sweep>/``: ``sweep.json`` (scenarios, swept values,
outcomes, headline figures), ``page.md`` with the headline table and one figure per swept key (each followed
by a sentence worded from the data), the figures, and each scenario's executed notebooks as static HTML
(one file per distinct notebook: scenarios that reused a stage link to the same page). `add_to_book` puts
every such page under a "Scenario sweeps" part of the book; `make book` includes the sweeps in ``build/``
(`make clean` removes them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from startup_report.engine.files import write_json, write_text
from startup_report.engine.layout import Layout
from startup_report.site import notebook_html, sweep_tables
from startup_report.sweep import compare, spec
from startup_report.sweep.execute import Outcome, run_sweep
from startup_report.sweep.spec import Sweep

PAGE = "page.md"
NOTEBOOKS = "notebooks"


def _code(text: str) -> str:
    return text.replace("`", "'").replace("\n", " ")


def _notebook_html(executed: Path, target: Path) -> str:
    """Render an executed notebook once per content hash; return the HTML file's name."""
    sha = hashlib.sha256(executed.read_bytes()).hexdigest()[:12]
    name = f"{executed.stem}-{sha}.html"
    if not (target / name).is_file():
        # a scenario runs the chain's notebooks (notebooks/): their links to chapters lead to the report's pages
        write_text(target / name, notebook_html.render(executed, executed.stem, "notebooks"))
    return name


def _links(layout: Layout, sweep: Sweep, stages: Sequence, folder: Path) -> dict[str, str]:
    """Scenario -> its name with a link to each of its executed notebooks (relative to the page in the site)."""
    links = {}
    for scenario in sweep.scenarios:
        build = layout.scenario(scenario.name).build
        anchors = []
        for stage in stages:
            executed = build / stage.name / stage.notebook
            if executed.is_file():
                name = _notebook_html(executed, folder / NOTEBOOKS)
                href = f"../../sweeps/{sweep.name}/{name}"
                anchors.append(f'<a href="{href}">{stage.notebook[:2]}</a>')
        links[scenario.name] = f"{scenario.name} ({' '.join(anchors)})" if anchors else scenario.name
    return links


def write_page(layout: Layout, sweep: Sweep, outcomes: dict[str, Outcome], stages: Sequence) -> Path:
    """Snapshot the sweep's comparison into build/sweeps/<sweep>/; return the page."""
    from startup_report.site import sweep_plots  # matplotlib: only when a page is written

    folder = layout.sweeps / sweep.name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / NOTEBOOKS).mkdir(parents=True)
    frame = compare.table(layout, sweep, outcomes)
    title = sweep.spec.title or f"Scenario sweep: {sweep.name}"
    base = [layout.rel(p) for p in sweep.param_files] + [f"-p {o}" for o in sweep.base_overrides]
    counts = {s: sum(o.status == s for o in outcomes.values()) for s in ("ok", "reused", "failed")}
    lines = [
        f"# {title}",
        "",
        *([sweep.spec.description, ""] if sweep.spec.description else []),
        f"{len(sweep.scenarios)} scenarios over the base parameters ({', '.join(base) or 'params/default.yaml'}), "
        f"varying {', '.join(f'`{k}`' for k in sweep.swept)}: {counts['ok']} ran, {counts['reused']} reused "
        f"earlier results, {counts['failed']} failed. Each scenario's folder is `build/scenarios/<name>/`; "
        "the numbers below come from its `metrics.json` and `market.json`, and the numbers in parentheses link "
        "to its executed notebooks.",
        "",
    ]
    for heading, table in sweep_tables.markdown_tables(frame, sweep.swept, _links(layout, sweep, stages, folder)):
        lines += [f"## {heading}", "", table, ""]
        if sweep_tables.MISSING in table:
            lines += [sweep_tables.MISSING_NOTE, ""]
    numeric = compare.numeric_keys(frame, sweep.swept)
    figures = []
    if frame["npv_usd"].isna().all():
        lines += ["No scenario finished, so there is nothing to plot.", ""]
    elif sweep.spec.grid and numeric:
        for key in numeric:
            others = [k for k in numeric if k != key]
            figures.append((key, sweep_plots.headlines_by_key(frame, key, hue=others[0] if others else None)))
    else:
        figures.append((None, sweep_plots.headlines_by_scenario(frame)))
    for i, (key, fig) in enumerate(figures):
        name = f"figure-{i}.png"
        sweep_plots.save(fig, folder / name)
        what = f"against `{key}`" if key else "per scenario"
        lines += [f"## Headline figures {what}", "", f"![Headline figures {what}]({sweep.name}/{name})", ""]
        lines += [sweep_tables.sentence(frame, key), ""]
    failed = [o for o in outcomes.values() if o.status == "failed"]
    if failed:
        lines += [
            "## Failed scenarios",
            "",
            *[f"- `{o.name}`: `{_code(o.error)}` (log: `{o.log}`)" for o in failed],
            "",
        ]
    lines += [
        "## The sweep file",
        "",
        "```yaml",
        yaml.safe_dump(sweep.spec.model_dump(), sort_keys=False).rstrip(),
        "```",
        "",
    ]
    write_text(folder / PAGE, "\n".join(lines))
    write_json(
        folder / "sweep.json",
        {
            "name": sweep.name,
            "swept": list(sweep.swept),
            "outcomes": [dataclasses.asdict(outcomes[s.name]) for s in sweep.scenarios],
            "table": compare.records(frame),
        },
    )
    return folder / PAGE


def add_to_book(layout: Layout, target: Path) -> list[str]:
    """Copy every sweep page into the book source and list it in _toc.yml; return the sweeps added."""
    pages = sorted(p.parent for p in layout.sweeps.glob(f"*/{PAGE}")) if layout.sweeps.is_dir() else []
    if not pages:
        return []
    for folder in pages:
        book = target / "book" / "sweeps"
        book.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / PAGE, book / f"{folder.name}.md")
        shutil.copytree(folder, book / folder.name, ignore=shutil.ignore_patterns(PAGE, NOTEBOOKS, "*.json"))
        shutil.copytree(folder / NOTEBOOKS, target / "_vendor" / "sweeps" / folder.name)
    toc_path = target / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    part = {"caption": "Scenario sweeps", "chapters": [{"file": f"book/sweeps/{f.name}"} for f in pages]}
    parts = toc["parts"]
    appendix = next((i for i, p in enumerate(parts) if p.get("caption") == "Appendix"), len(parts))
    parts.insert(appendix, part)
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return [f.name for f in pages]


class SweepFailed(RuntimeError):
    """Some scenarios failed (exit 1); the others' results and the comparison page are kept."""


def sweep_command(
    layout: Layout,
    sweep_file: Path,
    param_files: Sequence[Path],
    overrides: Sequence[str],
    scheduler: str | None,
    workers: int,
    echo: Callable[[str], None] = print,
    max_scenarios: int = spec.MAX_SCENARIOS,
) -> Path:
    """`startup-report sweep`: validate every scenario, run them on Dask, write the comparison page, report;
    return the page (raise SweepFailed after writing it)."""
    from startup_report.chain import CHAIN, STAGES

    path = sweep_file if sweep_file.is_absolute() else Path.cwd() / sweep_file
    sweep = spec.load(layout.root, spec.read(path), list(param_files), list(overrides), max_scenarios)
    chain = CHAIN.only(STAGES)
    spec.preflight(sweep, layout.root, chain)
    outcomes = run_sweep(layout, sweep, chain, scheduler=scheduler, workers=workers, echo=echo)
    page = write_page(layout, sweep, outcomes, chain)
    echo(f"comparison page: {layout.rel(page)} (in the book after `startup-report book`)")
    failed = [name for name, outcome in outcomes.items() if outcome.status == "failed"]
    if failed:
        raise SweepFailed(f"sweep failed for {', '.join(failed)}: see each scenario's run.log; the others are kept.")
    return page
