"""A market sweep end to end on a real `dask scheduler` with two workers, against single runs and a local cluster.

Two copies of the session's smoke project: in one, 2 market scenarios and one made to fail (its overlay passes
validation, then the market notebook raises) run through the scheduler; in the other, one of them runs alone
with `startup-report run`, then the good scenarios run as a sweep on a local cluster. The scenarios must reuse
every trained model (the training stage is never executed), equal the single run and the local cluster, and
keep the tally.
"""

import json
import shutil

import pytest

from startup_report.sweep.compare import HEADLINES, headline
from tests.conftest import SMOKE, cli

pytestmark = pytest.mark.e2e

GOOD = {
    "dear-errors": {"market.error_cost_usd": 7.7},  # values no other test runs (the stage cache would hold them)
    "big-slow": {"market.monthly_contacts": 40000, "market.new_customers_per_month": 0.5},
}
# Valid parameters, but the Transformer runs at the full budget only: no learning curve to fit.
BROKEN = {"market.measured_curve_model": "transformer-encoder"}
SWEEP = {"name": "markets", "base": ["params/smoke.yaml"], "scenarios": {**GOOD, "broken": BROKEN}}


def _copy(project, target, sweep=SWEEP):
    ignore = shutil.ignore_patterns("_build", "scenarios", "sweeps")
    shutil.copytree(project, target, symlinks=True, ignore=ignore, dirs_exist_ok=True)
    (target / "params/sweeps").mkdir(exist_ok=True)
    (target / "params/sweeps/markets.yaml").write_text(json.dumps(sweep))  # JSON is YAML
    return target


def _table(project) -> dict[str, dict]:
    rows = json.loads((project / "build/sweeps/markets/sweep.json").read_text())["table"]
    return {row["scenario"]: {k: row[k] for k in [*HEADLINES, "verdict"]} for row in rows}


def _stages(project, name) -> dict[str, str]:
    manifest = json.loads((project / f"build/scenarios/{name}/manifest.json").read_text())
    return {stage: record["outcome"] for stage, record in manifest["stages"].items()}


def test_market_sweep_on_a_scheduler_reuses_models_equals_single_runs_and_keeps_the_tally(
    project, cluster, tmp_path_factory
):
    remote = _copy(project, tmp_path_factory.mktemp("sweep-remote"))
    # The failing scenario runs on the scheduler only: a local cluster tallies failures with the same code.
    single = _copy(project, tmp_path_factory.mktemp("sweep-single"), {**SWEEP, "scenarios": GOOD})
    runs_before = sorted(p.name for p in (remote / "build/cache/runs").iterdir())

    done = cli(remote, "sweep", "params/sweeps/markets.yaml", "--scheduler", cluster)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == len(GOOD) + 1 and all("log: build/scenarios/" in line for line in lines)
    assert f"markets: {len(GOOD)} ok, 0 reused, 1 failed (of {len(GOOD) + 1})" in done.stdout
    assert "sweep failed for broken" in done.stderr
    assert "fewer than two budgets" in (remote / "build/scenarios/broken/run.log").read_text()
    for name in GOOD:
        stages = _stages(remote, name)
        assert stages == {
            "data-prep": "reused",
            "model-build": "reused",
            "training": "reused",  # no training task ran: the notebook that trains never executed
            "evaluation": "reused",
            "market-analysis": "ran",
        }, name
        assert " trained " not in (remote / f"build/scenarios/{name}/run.log").read_text()
    assert sorted(p.name for p in (remote / "build/cache/runs").iterdir()) == runs_before
    table = _table(remote)
    assert all(table[name]["npv_usd"] is not None for name in GOOD) and table["broken"]["npv_usd"] is None
    assert len({tuple(table[name].values()) for name in GOOD}) == len(GOOD)  # the scenarios differ

    # One scenario run alone shows a scenario of the sweep equals a single run; the local sweep below computes
    # the other again, so the two pools are compared on a scenario computed afresh.
    name, overlay = "dear-errors", GOOD["dear-errors"]
    one = cli(single, "run", *SMOKE, *[a for k, v in overlay.items() for a in ("-p", f"{k}={v}")])
    assert one.returncode == 0, one.stdout + one.stderr
    assert "market-analysis  ran (" in one.stdout  # computed here, not copied from the sweep
    alone = headline(single / "build")
    assert alone.pop("verdict") == table[name]["verdict"]
    # Equal up to float rounding: the sweep's workers run one BLAS thread, the single runs two.
    assert alone == pytest.approx({k: table[name][k] for k in HEADLINES}, rel=1e-9)

    local = cli(single, "sweep", "params/sweeps/markets.yaml", "--workers", "2")
    # each copy has its own build/cache: here the single run's scenario is reused, the other computed again
    assert local.returncode == 0, local.stdout + local.stderr
    assert f"markets: 1 ok, 1 reused, 0 failed (of {len(GOOD)})" in local.stdout
    assert _table(single) == {name: table[name] for name in GOOD}

    book = cli(remote, "book")
    assert book.returncode == 0, book.stdout + book.stderr
    page = (remote / "_build/html/book/sweeps/markets.html").read_text()
    assert "big-slow" in page and "NPV with exit" in page and "figure-0.png" in page
    for href in __import__("re").findall(r'href="\.\./\.\./(sweeps/markets/[^"]+\.html)"', page):
        assert (remote / "_build/html" / href).is_file(), href
    assert page.count('href="../../sweeps/markets/') >= 5 * len(GOOD)
