import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from startup_report.params import Params, ParamsError, load_params, parse_override

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("startup-report"))


def test_default_yaml_equals_schema_defaults():
    # params/default.yaml is the single place for defaults: it must say exactly what the schema says.
    assert load_params(ROOT) == Params()
    assert yaml.safe_load((ROOT / "params/default.yaml").read_text()) == Params().model_dump(mode="json")


def test_overlays_apply_in_order_and_overrides_win(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text("training: {epochs: 7, batch_size: 16}\n")
    second = tmp_path / "b.yaml"
    second.write_text("training: {epochs: 9}\n")
    params = load_params(ROOT, [first, second], ["training.batch_size=64", "data.test=null"])
    assert params.training.epochs == 9
    assert params.training.batch_size == 64
    assert params.data.test is None
    assert params.model == Params().model


def test_override_value_is_parsed_as_yaml_scalar():
    assert parse_override("market.error_cost_usd=2.5") == (["market", "error_cost_usd"], 2.5)
    assert parse_override("data.drop_test_duplicates=false") == (["data", "drop_test_duplicates"], False)
    with pytest.raises(ParamsError, match="dotted.key=value"):
        parse_override("training.epochs")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("training.epochs=-3", ["training.epochs", "greater than or equal to 1"]),
        ("training.epochs=many", ["training.epochs", "valid integer"]),
        ("training.epoch=3", ["training.epoch", "Did you mean 'training.epochs'"]),
        ("trainig.epochs=3", ["trainig", "Did you mean 'training'"]),
        ("evaluation.target_precision=1.5", ["evaluation.target_precision", "less than or equal to 1"]),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(override, expected):
    with pytest.raises(ParamsError) as info:
        load_params(ROOT, [], [override])
    for fragment in expected:
        assert fragment in str(info.value)


def test_cli_rejects_bad_parameters_with_exit_2_before_running(tmp_path):
    done = subprocess.run([CLI, "run", "-p", "training.epochs=-3"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "training.epochs" in done.stderr
    assert "ran" not in done.stdout


def test_cli_params_prints_effective_values_and_schema():
    done = subprocess.run([CLI, "params", "-p", "seed=7", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seed"] == 7
    schema = subprocess.run([CLI, "params", "--schema"], cwd=ROOT, capture_output=True, text=True)
    assert "target_precision" in json.loads(schema.stdout)["$defs"]["EvaluationParams"]["properties"]


def test_every_shipped_profile_validates_and_fewshot30_adds_the_30_per_intent_runs():
    for path in sorted((ROOT / "params").glob("*.yaml")):
        load_params(ROOT, [path])  # raises on an unknown key or a bad value
    default = load_params(ROOT, [])
    fewshot = load_params(ROOT, [ROOT / "params/fewshot30.yaml"])
    for model in ("minilm-finetuned", "minilm-setfit"):
        assert 30 not in default.training.budgets_by_model[model]
        assert 30 in fewshot.training.budgets_by_model[model]
    assert fewshot.model_dump(exclude={"training"}) == default.model_dump(exclude={"training"})
