"""Sweep files: grids expand to their product with a name each; every scenario is validated before any runs."""

from pathlib import Path

import pytest

from startup_report.chain import STAGES
from startup_report.engine.layout import Layout
from startup_report.sweep import spec
from startup_report.sweep.execute import Outcome, kernel_start_failure, retrying, tally

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    return path


def test_a_grid_expands_to_the_product_with_distinct_names():
    sweep = spec.SweepFile(name="g", grid={"market.price_discount": [0.0, 0.4], "market.monthly_contacts": [1, 2, 3]})
    expanded = spec.expand(sweep)
    assert len(expanded) == 6
    assert expanded["price_discount-0.4_monthly_contacts-3"] == {
        "market.price_discount": 0.4,
        "market.monthly_contacts": 3,
    }


def test_same_last_key_in_two_sections_keeps_names_distinct():
    sweep = spec.SweepFile(name="g", grid={"market.churn_monthly": [0.1], "market.gtm.x.churn_monthly": [0.2]})
    assert list(spec.expand(sweep)) == ["market-churn_monthly-0.1_market-gtm-x-churn_monthly-0.2"]


def test_named_scenarios_accept_nested_and_dotted_overlays():
    sweep = spec.SweepFile(name="s", scenarios={"a": {"market": {"price_discount": 0.1}}, "b": {"market.draws": 500}})
    assert spec.expand(sweep) == {"a": {"market.price_discount": 0.1}, "b": {"market.draws": 500}}


def test_overrides_read_back_as_the_same_values():
    for value in (0.4, 1e-05, 20000, "gpt-4o-mini", [10, 30], None, True):
        key, parsed = __import__("startup_report.params", fromlist=["parse_override"]).parse_override(
            spec.override("a.b", value)
        )
        assert parsed == value and key == ["a", "b"]


def test_the_shipped_sweeps_load_and_validate():
    for path in sorted((ROOT / "params/sweeps").glob("*.yaml")):
        sweep = spec.load(ROOT, spec.read(path))
        assert sweep.scenarios and sweep.swept, path.name
    scenarios = spec.load(ROOT, spec.read(ROOT / "params/sweeps/scenarios.yaml"))
    assert [s.name for s in scenarios.scenarios] == ["bear", "base", "bull"]
    bull = scenarios.scenarios[2].params
    assert bull.market.monthly_contacts == 120000 and spec.value(bull, "market.price_discount") == 0.0
    assert spec.value(scenarios.scenarios[0].params, "market.monthly_contacts") == 50000  # set by the bear case


def test_a_bad_value_names_the_scenario_and_the_key(tmp_path):
    path = _write(tmp_path, "name: t\nscenarios:\n  ok: {market: {draws: 500}}\n  broken: {market: {draws: -1}}\n")
    with pytest.raises(spec.SweepError, match=r"(?s)scenario 'broken'.*market\.draws"):
        spec.load(ROOT, spec.read(path))


def test_an_unknown_key_names_the_scenario(tmp_path):
    path = _write(tmp_path, "name: t\ngrid:\n  market.price_discont: [0.1, 0.2]\n")
    with pytest.raises(spec.SweepError, match=r"(?s)scenario 'price_discont-0.1'.*price_discount"):
        spec.load(ROOT, spec.read(path))


def test_a_bad_market_key_fails_the_preflight_naming_the_scenario(tmp_path):
    path = _write(tmp_path, "name: t\nscenarios:\n  a: {}\n  b: {market: {llm_model: no-such-model}}\n")
    sweep = spec.load(ROOT, spec.read(path))
    with pytest.raises(spec.SweepError, match=r"(?s)scenario 'b'.*market\.llm_model"):
        spec.preflight(sweep, ROOT, STAGES)


@pytest.mark.parametrize(
    "text, message",
    [
        ("name: t\n", "either `scenarios`"),
        ("name: t\nscenarios: {a: {}}\ngrid: {seed: [1]}\n", "not both"),
        ("name: t\ngrid: {seed: []}\n", "no values"),
        ("name: 'a b'\ngrid: {seed: [1]}\n", "name"),
        ("name: t\nscenarios: {'../x': {}}\n", "names a folder"),
        ("name: t\ngrid: {seed: [1]}\nbases: []\n", "bases"),
    ],
)
def test_a_bad_sweep_file_is_an_error_that_names_the_field(tmp_path, text, message):
    with pytest.raises(spec.SweepError, match=message):
        spec.read(_write(tmp_path, text))


def test_the_tally_counts_every_scenario_once_and_a_missing_one_as_failed():
    outcomes = {"a": Outcome("a", "ok"), "b": Outcome("b", "reused"), "c": Outcome("c", "failed")}
    assert tally(outcomes, ["a", "b", "c", "d"]) == {"ok": 1, "reused": 1, "failed": 2}


def test_a_kernel_that_fails_to_start_is_retried_and_a_failing_cell_is_not():
    calls = []

    def flaky() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return True

    lines: list[str] = []
    assert retrying(flaky, 2, lines.append) == (True, 2)
    assert "retrying" in lines[0]
    assert not kernel_start_failure(ValueError("fewer than two budgets"))
    with pytest.raises(ValueError):
        retrying(lambda: (_ for _ in ()).throw(ValueError("a cell raised")), 2, lines.append)


def test_a_scenario_layout_shares_the_project_cache_and_names_its_files_like_the_project(tmp_path):
    project, scenario = Layout(tmp_path), Layout(tmp_path).scenario("bear")
    assert scenario.build == tmp_path / "build/scenarios/bear" and scenario.cache == project.cache
    assert scenario.stage_dir("training") == tmp_path / "build/scenarios/bear/training"
    a = project.portable(project.stage_dir("training") / "results.csv")
    b = scenario.portable(scenario.stage_dir("training") / "results.csv")
    assert a == b == "build:training/results.csv"
    assert scenario.portable(tmp_path / "data/raw/x.csv") == "data/raw/x.csv"


def test_the_command_exits_2_naming_the_scenario_before_anything_runs(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from startup_report.cli import app

    monkeypatch.setenv("STARTUP_REPORT_ROOT", str(ROOT))
    path = _write(tmp_path, "name: t\nscenarios:\n  fine: {}\n  bad: {market: {draws: 5}}\n")
    scenarios_before = sorted((ROOT / "build/scenarios").glob("*")) if (ROOT / "build/scenarios").is_dir() else []
    result = CliRunner().invoke(app, ["sweep", str(path)])
    assert result.exit_code == 2
    assert "scenario 'bad'" in result.output and "market.draws" in result.output
    assert not (ROOT / "build/sweeps/t").exists()
    assert (sorted((ROOT / "build/scenarios").glob("*")) if (ROOT / "build/scenarios").is_dir() else []) == (
        scenarios_before
    )
