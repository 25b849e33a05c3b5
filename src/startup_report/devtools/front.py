"""The README's front door from a default build: its answer paragraph (from the hand-offs) and its picture.

`make front` after `make book` rewrites the paragraph between the README's answer markers from
``build/evaluation/metrics.json`` and ``build/market-analysis/market.json`` and captures the summary page as
docs/site.png, so the front door says what the built report says. It refuses a build that is not of the
default parameters, so a smoke build never speaks for the report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from startup_report.engine.layout import find_root

START, END = "<!-- answer:start -->", "<!-- answer:end -->"


def answer(root: Path) -> str:
    """The answer paragraph, worded from the default build's hand-offs (numbers formatted as the book does)."""
    from startup_report.evaluation.handoff import read as read_metrics
    from startup_report.market.handoff import read as read_market
    from startup_report.report.findings import money, verdict_label

    run = json.loads((root / "build/manifest.json").read_text())["run"]
    if run["outcome"] != "success" or run["param_files"] or run["overrides"]:
        raise SystemExit("front: the last run is not a finished run of the default parameters; run `make book` first")
    m = read_metrics(root / "build/evaluation/metrics.json")
    k = read_market(root / "build/market-analysis/market.json")
    commit = str(run["git_commit"] or "")[:7]
    best = next((seg for seg in k.segments if seg.recommended), None)
    others = "; ".join(
        f"{seg.name} {seg.p_npv_positive_no_exit:.0%} and {seg.p_npv_positive:.0%}"
        for seg in k.segments
        if seg is not best
    )
    segment = (
        f" The plan sells to {best.name}, the go-to-market segment a rule picks from every segment's odds"
        + (f" (the others: {others}, without and with the exit)." if others else ".")
        if best is not None
        else ""
    )
    return (
        f"**Today's answer** (default parameters, commit `{commit}`): the production model, {m.model}, classifies "
        f"{m.accuracy:.1%} of the {m.n_test:,} test messages correctly, and the router resolves "
        f"{k.resolved_share:.0%} of a bank's messages without an agent at its target precision.{segment} Its base "
        f"case is worth {money(k.npv_base_usd)} with an exit and {money(k.npv_base_no_exit_usd)} without; across "
        f"the uncertain inputs P(NPV > 0) is {k.p_npv_positive_no_exit:.0%} without the exit and "
        f"{k.p_npv_positive:.0%} with it: {verdict_label(k.verdict)}. Read why in the executive summary "
        "(`_build/html/book/summary.html`), and move the assumptions yourself on its What if? page."
    )


def rewrite(root: Path) -> None:
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{answer(root)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    from startup_report.devtools import screenshot

    root = find_root()
    rewrite(root)
    print(f"wrote the answer in README.md and {screenshot.capture(root)}", file=sys.stderr)
