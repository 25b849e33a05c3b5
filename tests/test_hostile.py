"""Careless and hostile input (issue 29), replayed through the CLI in this process: each bad value is refused up
front (exit 2, the message naming the field), nothing in ``build/`` or the site changes, nothing is written outside
the project; an interrupted run, a damaged output or a mix of runs keeps `book` from publishing (exit 1).

The cases work on hard-linked copies of the smoke project (conftest's ``project``):
every write the tool makes replaces a file instead of writing into it, and the tests that damage a file replace
it too, so the shared build is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from startup_report.cli import app
from tests.conftest import SMOKE, tree_state

pytestmark = pytest.mark.e2e  # the smoke project is built once per session (under `make test`, not test-fast)

LONG = "x" * 5000


def _link_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    return target


@pytest.fixture(scope="module")
def smoke(project, tmp_path_factory) -> Path:
    """A copy of the smoke project for the cases that must leave it unchanged (so they all share one)."""
    return _link_copy(project, tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture
def fresh(project, tmp_path) -> Path:
    """A copy of the smoke project of its own, for a test that changes its state."""
    return _link_copy(project, tmp_path / "project")


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    """Each test in the project folder (relative --params paths), with the environment restored after it (a run
    sets the kernels' variables in this process)."""
    saved = dict(os.environ)
    monkeypatch.chdir(tmp_path)
    yield
    os.environ.clear()
    os.environ.update(saved)


def invoke(project: Path, *args: str, env: dict[str, str] | None = None):
    """`startup-report ARGS` in this process, from the project folder; an uncaught exception fails the test."""
    os.chdir(project)
    result = CliRunner().invoke(
        app, list(args), env={"STARTUP_REPORT_ROOT": str(project), **(env or {})}, catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def refused(project: Path, args: list[str], field: str, code: int = 2, env: dict[str, str] | None = None):
    """Run ``args``; assert the exit code, the field in the message, and build/ and the site unchanged."""
    before = tree_state(project / "build"), tree_state(project / "_build")
    result = invoke(project, *args, env=env)
    assert result.exit_code == code, (args, result.output)
    assert field in result.stderr, (args, result.stderr)
    assert "ran (" not in result.stdout
    assert (tree_state(project / "build"), tree_state(project / "_build")) == before, args
    return result


# -p values refused by the schema, each with the field the message must name.
BAD_OVERRIDES = {
    "impossible date": ("market.as_of=2026-02-30", "market.as_of"),
    "month 13": ("market.as_of=2026-13-45", "market.as_of"),
    "date with a time": ("market.as_of=2026-03-01 10:00:00", "market.as_of"),
    "nan in a list": ("privacy.alphas=[.nan]", "privacy.alphas"),
    "inf in a nested list": ("training.budgets_by_model={minilm-setfit: [.inf]}", "training.budgets_by_model"),
    "nan in a range": ("market.uncertainty.churn_monthly.low=.nan", "market.uncertainty.churn_monthly.low"),
    "range outside the bounds": ("market.uncertainty.churn_monthly={low: 2, high: 5}", "market.uncertainty.churn"),
    "range upside down": ("market.uncertainty.churn_monthly={low: 0.04, high: 0.01}", "market.uncertainty.churn"),
    "nan seed": ("seed=.nan", "seed"),
    "too many seeds": ("training.seeds_by_model.minilm-setfit=100000", "training.seeds_by_model"),
    "too many clients": ("privacy.client_counts=[1000000]", "privacy.client_counts"),
    "huge budget": ("training.budgets=[1000000]", "training.budgets"),
    "label as text": ("data.text_column=category", "data.text_column"),
    "null section": ("market=null", "market"),
    "empty value": ("data.test=", "data.test"),
    "team role as an absolute path": ("market.team./tmp/pwnteam={count: 1, usd_per_year: 1000}", "market.team"),
    "team role with NUL": ("market.team.a\0b={count: 1, usd_per_year: 1000}", "market.team"),
    "segment too long": (f"market.gtm.{LONG}={{cac_usd: 1, monthly_contacts: 1, churn_monthly: 0.1}}", "market.gtm"),
    "dataset name with a slash": ("data.name=../../etc", "data.name"),
    "dataset name too long": (f"data.name={LONG}", "data.name"),
    "unknown key with NUL": ("training.epo\0chs=3", "training.epo"),
}


@pytest.mark.parametrize("command", ["params", "status", "run"])
@pytest.mark.parametrize("case", BAD_OVERRIDES, ids=list(BAD_OVERRIDES))
def test_a_bad_value_is_refused_by_every_command_naming_its_field(smoke, command, case):
    override, field = BAD_OVERRIDES[case]
    result = refused(smoke, [command, *SMOKE, "-p", override], field)
    assert len(result.stderr) < 2000, "the message quotes the value, never all of it"


def test_dates_are_accepted_as_yaml_dates_and_quoted_strings(smoke, tmp_path):
    unquoted = tmp_path / "unquoted.yaml"
    unquoted.write_text("market:\n  as_of: 2026-03-01\n")
    for args in (["--params", str(unquoted)], ["-p", "market.as_of=2026-03-01"], ["-p", "market.as_of='2026-03-01'"]):
        result = invoke(smoke, "params", "--json", *args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["market"]["as_of"] == "2026-03-01"
    unquoted.write_text("market:\n  as_of: 2026-02-30\n")
    refused(smoke, ["status", "--params", str(unquoted)], "market.as_of")


PARAM_FILES = {
    "binary": (bytes(range(256)) * 8, "not UTF-8 text"),
    "NUL bytes": (b"seed: 1\0\n", "NUL"),
    "duplicate keys": (b"training:\n  epochs: 2\n  epochs: 3\n", "duplicate key 'epochs'"),
    "null section": (b"market:\n", "market"),
    "not a mapping": (b"- seed\n", "mapping"),
}


@pytest.mark.parametrize("case", PARAM_FILES, ids=list(PARAM_FILES))
def test_a_bad_params_file_is_refused_naming_the_file(smoke, tmp_path, case):
    content, message = PARAM_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = refused(smoke, ["run", "--params", str(path)], message)
    assert case == "null section" or str(path) in result.stderr


@pytest.mark.parametrize(
    "path, field",
    [("/no/such/file.yaml", "Parameter file"), (LONG + ".yaml", "Parameter file"), ("a\0b.yaml", "'--params'")],
)
def test_a_params_path_that_cannot_be_a_file_is_refused(smoke, path, field):
    refused(smoke, ["status", "--params", path], field)


def test_a_machine_cache_that_is_a_file_is_refused(smoke, tmp_path):
    cache = tmp_path / "cache-file"
    cache.write_text("not a folder")
    for command in ("params", "status", "run"):
        refused(smoke, [command, *SMOKE], "STARTUP_REPORT_CACHE", env={"STARTUP_REPORT_CACHE": str(cache)})
    refused(smoke, ["status"], "STARTUP_REPORT_CACHE", env={"STARTUP_REPORT_CACHE": str(cache / "below")})


def _dataset_args(path: Path | str) -> list[str]:
    return ["run", *SMOKE, "-p", f"data.train={path}", "-p", "data.test=null", "-p", "data.sample_fraction=1.0"]


BAD_DATASETS = {
    "header only": ("text,category\n", "header but no rows"),
    "one 1 MB line": ("x" * 1_000_000, "data.text_column"),
    "one label": ("text,category\n" + "".join(f"message {i},only\n" for i in range(20)), "data.label_column"),
}


@pytest.mark.parametrize("case", BAD_DATASETS, ids=list(BAD_DATASETS))
def test_a_bad_dataset_is_refused_before_any_stage(smoke, tmp_path, case):
    content, message = BAD_DATASETS[case]
    path = tmp_path / "train.csv"
    path.write_text(content)
    result = refused(smoke, _dataset_args(path), message)
    assert len(result.stderr) < 2000


def test_a_folder_as_the_dataset_is_refused_without_hashing_it(smoke, tmp_path, monkeypatch):
    from startup_report.engine import manifest as mf

    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "big.bin").write_bytes(b"\0" * 1000)
    hashed: list[Path] = []
    real = mf.sha256_path
    monkeypatch.setattr(mf, "sha256_path", lambda path: hashed.append(Path(path)) or real(path))
    refused(smoke, _dataset_args(folder), "data.train")
    assert all(folder not in (path, *path.parents) for path in hashed), "the folder was hashed"
    refused(smoke, _dataset_args("a\0b.csv"), "data.train")
    refused(smoke, [*_dataset_args("x"), "-p", "data.train=''"], "data.train")


def _market_copy(root: Path, target: Path, table: str, row: int, column: str, value: str) -> Path:
    shutil.copytree(root / "data/market", target)
    path = target / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)
    return target


BAD_MARKET_CELLS = {
    "impossible published date": ("compute", "published", "2026-13-45"),
    "published date without padding": ("compute", "published", "2026-2-1"),
    "retires as text": ("llm_prices", "retires", "soon-ish"),
    "retires without padding": ("llm_prices", "retires", "2026-2-1"),
    "formula in a note": ("compute", "note", '=HYPERLINK("http://evil.example","click")'),
    "at-formula in a title": ("contact_costs", "title", "@SUM(A1:A9)"),
    "DDE after a sign": ("routing", "note", "-2+3+cmd|' /C calc'!A0"),
    "plus formula": ("market_size", "publisher", "+A1"),
}


@pytest.mark.parametrize("case", BAD_MARKET_CELLS, ids=list(BAD_MARKET_CELLS))
def test_a_bad_market_cell_is_refused_naming_file_row_and_column(smoke, tmp_path, case):
    table, column, value = BAD_MARKET_CELLS[case]
    facts = _market_copy(smoke, tmp_path / "market", table, 1, column, value)
    result = refused(smoke, ["run", *SMOKE, "-p", f"market.facts_dir={facts}"], f"{table}.csv")
    assert "row 3" in result.stderr and f"column {column!r}" in result.stderr


def test_a_retired_model_is_refused_by_date_not_by_text(smoke, tmp_path):
    """`retires` 2026-02-01 against as_of 2026-11-26: compared as text, 2026-2-1 would pass; as dates it cannot."""
    from startup_report.params import load_params

    model = load_params(smoke).market.llm_model
    facts = tmp_path / "market"
    shutil.copytree(smoke / "data/market", facts)
    prices = pd.read_csv(facts / "llm_prices.csv", dtype=str, keep_default_na=False)
    prices.loc[prices["model"] == model, "retires"] = "2026-02-01"
    prices.to_csv(facts / "llm_prices.csv", index=False)
    # The evaluation chapter prices the same model (evaluation.llm_models), so its check refuses it first.
    refused(smoke, ["run", *SMOKE, "-p", f"market.facts_dir={facts}"], f"{model!r} retires on 2026-02-01")
    ok = invoke(smoke, "status", *SMOKE, "-p", f"market.facts_dir={facts}", "-p", "market.as_of=2026-01-31")
    assert ok.exit_code == 0


SWEEPS = {
    "team role escaping the project": (
        "name: escape\ngrid:\n  market.team./tmp/pwnteam: [{count: 1.0, usd_per_year: 1000.0}]\n",
        "grid key",
    ),
    "scenario name with a slash": ("name: s\nscenarios:\n  ../../../escaped: {seed: 1}\n", "scenario"),
    "absolute scenario name": ("name: s\nscenarios:\n  /tmp/escaped-i29: {seed: 1}\n", "scenario"),
    "scenario name with NUL": ('name: s\nscenarios:\n  "a\\0b": {seed: 1}\n', "scenario"),
    "very long scenario name": (f"name: s\nscenarios:\n  {'y' * 200}: {{seed: 1}}\n", "scenario"),
    "sweep name with a slash": ("name: ../../../escaped\nscenarios:\n  a: {seed: 1}\n", "name"),
    "absolute sweep name": ("name: /tmp/escaped-i29\nscenarios:\n  a: {seed: 1}\n", "name"),
    "duplicate scenario names": ("name: s\nscenarios:\n  a: {seed: 1}\n  a: {seed: 2}\n", "duplicate key 'a'"),
    "names equal but for case": ("name: s\nscenarios:\n  bear: {seed: 1}\n  Bear: {seed: 2}\n", "same folder"),
    "duplicate keys in a scenario": ("name: s\nscenarios:\n  a: {seed: 1, seed: 2}\n", "duplicate key 'seed'"),
    "grid values giving one name": ("name: s\ngrid:\n  market.channel_key: ['a/b', 'a b']\n", "twice"),
    "null section in a scenario": ("name: s\nscenarios:\n  a: {market: null}\n", "market"),
    "impossible date in a grid": ("name: s\ngrid:\n  market.as_of: [2026-01-01, 2026-02-30]\n", "market.as_of"),
    "nan in a grid": ("name: s\ngrid:\n  market.churn_monthly: [.nan]\n", "market.churn_monthly"),
    "10,000 scenarios": (
        "name: big\ngrid:\n"
        + "".join(f"  {key}: [{', '.join(str(i) for i in range(12, 22))}]\n" for key in ("seed", "market.months"))
        + "".join(f"  {key}: [{', '.join(str(i) for i in range(1, 11))}]\n" for key in ("market.draws", "x.y")),
        "--max-scenarios",
    ),
    "path in a grid value": ("name: s\ngrid:\n  market.human_cost_channel_key: ['../../../../tmp/x']\n", "market."),
    "binary": ("\x00\x01\x02", "NUL"),
}


@pytest.mark.parametrize("case", SWEEPS, ids=list(SWEEPS))
def test_a_bad_sweep_is_refused_and_writes_nothing_anywhere(smoke, tmp_path, case):
    text, message = SWEEPS[case]
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    beside = {p.name for p in smoke.parent.iterdir()}
    refused(smoke, ["sweep", str(path), "--workers", "1"], message)
    assert {p.name for p in smoke.parent.iterdir()} == beside and not (smoke / "escaped").exists()
    assert not list(Path("/tmp").glob("pwnteam*")) and not Path("/tmp/escaped-i29").exists()


def test_a_large_sweep_runs_only_when_confirmed(smoke, tmp_path):
    from startup_report.sweep import spec

    path = tmp_path / "big.yaml"
    path.write_text(SWEEPS["10,000 scenarios"][0])
    sweep = spec.read(path)
    assert spec.count(sweep) == 10_000
    with pytest.raises(spec.SweepError, match="--max-scenarios 10000"):
        spec.expand(sweep)
    assert len(spec.expand(sweep, max_scenarios=10_000)) == 10_000


# State the tool must not publish: `book` refuses (exit 1) with the reason and the command that fixes it.


def _interrupt_the_first_stage(monkeypatch, signum: int) -> list[str]:
    """Make the first stage that runs receive ``signum`` (as `kill` or Ctrl-C would send it) and record which."""
    from startup_report.engine import runner

    started: list[str] = []

    def stage_killed(stage, *args, **kwargs):
        started.append(stage.name)
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the signal arrives first
        raise AssertionError("the signal did not stop the stage")

    monkeypatch.setattr(runner, "bring_up_to_date", stage_killed)
    monkeypatch.setattr(runner, "_stop_kernels", lambda: None)  # this process's children are not kernels here
    return started


@pytest.fixture
def terminal_sigint():
    """Ctrl-C raising KeyboardInterrupt as in a terminal, also where the test runner's process ignores SIGINT."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("signum, how", [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "Ctrl-C")])
def test_an_interrupted_run_says_so_and_book_refuses_to_publish_it(fresh, monkeypatch, terminal_sigint, signum, how):
    started = _interrupt_the_first_stage(monkeypatch, signum)
    site = tree_state(fresh / "_build")
    stopped = invoke(fresh, "run", *SMOKE, "-p", "seed=7", "--jobs", "1")
    assert started == ["data-prep"]
    assert stopped.exit_code == 130
    assert stopped.stderr.strip().count("\n") == 0 and f"interrupted ({how})" in stopped.stderr
    manifest = json.loads((fresh / "build/manifest.json").read_text())
    assert manifest["run"]["outcome"] == "interrupted" and manifest["run"]["finished"]
    book = invoke(fresh, "book")
    assert book.exit_code == 1
    assert "did not finish: its outcome is 'interrupted'" in book.stderr
    assert "stage data-prep was built by another run (its seed" in book.stderr
    assert "startup-report run --params params/smoke.yaml -p seed=7" in book.stderr
    assert tree_state(fresh / "_build") == site


def test_a_damaged_output_makes_its_stage_stale_and_book_refuses(fresh):
    notebook = fresh / "build/evaluation/04-evaluation.ipynb"
    text = notebook.read_bytes()
    notebook.unlink()  # a new file: the hard link to the shared project stays intact
    notebook.write_bytes(text[:200])
    status = invoke(fresh, "status", *SMOKE)
    assert status.exit_code == 0
    assert "evaluation       would run (output modified: build/evaluation/04-evaluation.ipynb)" in status.stdout
    site = tree_state(fresh / "_build")
    book = invoke(fresh, "book")
    assert book.exit_code == 1
    assert "build/evaluation/04-evaluation.ipynb changed after the run wrote it" in book.stderr
    assert "startup-report run --params params/smoke.yaml" in book.stderr
    assert tree_state(fresh / "_build") == site


def test_stages_of_different_runs_are_not_published_together(fresh):
    path = fresh / "build/manifest.json"
    manifest = json.loads(path.read_text())
    manifest["stages"]["market-analysis"]["params"]["seed"] = 7
    path.unlink()
    path.write_text(json.dumps(manifest))
    book = invoke(fresh, "book")
    assert book.exit_code == 1
    assert "stage market-analysis was built by another run (its seed differ" in book.stderr
