"""`make bench`: run the chain cold, rerun it unchanged, change one market value, and print the figures
the issues set as targets. Prints; never asserts: speed targets live here, not in timed tests.

Usage: python -m startup_report.devtools.bench [--params FILE] [-p key=value ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from startup_report.engine.layout import Layout, find_root


def _timed(args: list[str]) -> float:
    exe = str(Path(sys.executable).with_name("startup-report"))
    start = time.perf_counter()
    subprocess.run([exe, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<48} {value:>14}   {target}")


def main(argv: list[str]) -> None:
    layout = Layout(find_root())
    cold = _timed(["run", "--force", *argv])
    stages = json.loads(layout.manifest.read_text())["stages"]
    warm = _timed(["run", *argv])
    book = _timed(["book"])
    error_cost = json.loads(layout.manifest.read_text())["params"]["market"]["error_cost_usd"]
    market_only = _timed(["run", *argv, "-p", f"market.error_cost_usd={error_cost + 0.5}"]) + _timed(["book"])
    _timed(["run", *argv])  # back to the original parameters

    print("Chain")
    _line("cold chain, all stages forced (s)", f"{cold:.1f}", "target: <= 20 min through training (default)")
    for name, record in stages.items():
        _line(
            f"  stage {name} (s)",
            f"{record['duration_s']:.1f}",
            "target: evaluation <= 60 s" if name == "evaluation" else "",
        )
    _line("no-change rerun (s)", f"{warm:.1f}", "target: <= 15 s before the book build")
    _line("ratio cold / no-change rerun", f"{cold / warm:.1f}x")
    _line("book build (s)", f"{book:.1f}")
    _line("one market parameter changed, rerun + book (s)", f"{market_only:.1f}", "target: <= 45 s")

    encoder = json.loads((layout.stage_dir("model-build") / "encoder.json").read_text())
    market = json.loads((layout.stage_dir("market-analysis") / "market.json").read_text())
    print("Throughput")
    _line("sentence encoder (texts/s)", f"{encoder['texts_per_second']:.0f}")
    _line("Monte Carlo draws (s)", f"{market['monte_carlo_seconds']:.2f}", "target: 10,000 draws <= 5 s")

    results = pd.read_csv(layout.stage_dir("training") / "results.csv", dtype={"budget": str})
    summary = results.groupby(["family", "budget"])["accuracy"].agg(["mean", "std"]).fillna(0.0)
    print("Accuracy (test set, mean over seeds)")
    for (family, budget), row in summary.iterrows():
        target = {("frozen", "full"): "target: >= 0.900", ("finetuned", "full"): "target: >= 0.925"}.get(
            (family, budget), ""
        )
        _line(f"{family} @ {budget}", f"{row['mean']:.4f} ± {row['std']:.4f}", target)


if __name__ == "__main__":
    main(sys.argv[1:])
