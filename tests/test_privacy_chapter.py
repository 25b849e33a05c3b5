"""The privacy chapters: their contract with the runner, and every number their prose glues is produced.

The experiments run here end to end on small synthetic embeddings (no encoder), so the chapter's
package calls, the sentences worded from their results and the glue names the page uses stay in step.
"""

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from startup_report.chain import CHAPTERS, STAGE_BY_NAME
from startup_report.params import MarketParams, Params, PrivacyParams, load_params
from startup_report.privacy import experiment, explain, money, partition, scoring, words

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("privacy", "privacy-cost")
TITLES = {
    "privacy": "# Privacy and trust, measured",
    "privacy-cost": "# What privacy costs, and why the model answered",
}


def _cells(name: str) -> list[dict]:
    return json.loads((ROOT / STAGE_BY_NAME[name].source).read_text())["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_the_expensive_chapter_does_not_rerun_for_market_or_evaluation_changes():
    experiments, cost = STAGE_BY_NAME["privacy"], STAGE_BY_NAME["privacy-cost"]
    assert experiments.keys == ("seed", "privacy") and set(experiments.upstream) == {"data-prep", "model-build"}
    assert "market" in cost.keys and {"evaluation", "privacy"} <= set(cost.upstream)
    assert CHAPTERS.index(experiments) < CHAPTERS.index(cost)


@pytest.mark.parametrize("name", NAMES)
def test_chapter_is_thin_clean_and_listed(name):
    cells = _cells(name)
    assert all(c.get("id") for c in cells) and len({c["id"] for c in cells}) == len(cells)
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            text = _source(cell)
            assert not re.search(r"^\s*def |lambda", text, re.M), "logic lives in the package"
            if "parameters" not in cell.get("metadata", {}).get("tags", []):
                assert len(text.splitlines()) <= 15, text[:80]
    headings = [line for c in cells if c["cell_type"] == "markdown" for line in _source(c).splitlines()]
    assert [h for h in headings if h.startswith("# ")] == [TITLES[name]]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert f"book/{name}" in [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_smoke_profile_is_smaller_than_the_default():
    smoke = load_params(ROOT, [ROOT / "params" / "smoke.yaml"]).privacy
    default = Params().privacy
    assert smoke.rounds < default.rounds and len(smoke.epsilons) < len(default.epsilons)
    assert max(smoke.client_counts) < max(default.client_counts)


def _blobs(n: int, classes: int = 4, dim: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    x = rng.normal(size=(n, dim)) + 2.5 * np.eye(classes, dim)[y]
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), y


@pytest.fixture(scope="module")
def results():
    (xt, yt), (xv, yv), (xs, ys) = _blobs(240, seed=0), _blobs(80, seed=1), _blobs(80, seed=2)
    data = scoring.Embedded(["a", "b", "c", "d"], xt, yt, xv, yv, xs, ys, [f"msg {i}" for i in range(240)])
    config = PrivacyParams(clients=3, alpha=0.5, alphas=[0.5, 10.0], client_counts=[2, 3], rounds=3,
                           batch_size=32, learning_rate=2.0, epsilons=[2.0], min_client_size=5)  # fmt: skip
    splits = {f"α = {a:g}": partition.dirichlet_partition(yt, 3, a, seed=0, min_size=5) for a in (0.5, 10.0)}
    skew = partition.partition_table(yt, splits, 4)
    central = experiment.test_accuracy(experiment.central(data, config, 0)[0], data)
    federation = experiment.skew_and_clients(data, config, 0)
    sweep, heads = experiment.epsilon_sweep(data, config, 0)
    table = scoring.automation_table(sweep, heads, yv, ys, 0.9)
    return data, config, skew, central, federation, sweep, heads, table


def test_experiments_cover_every_setting_and_spend_the_budget(results):
    data, config, _, central, federation, sweep, heads, table = results
    assert central > 0.8
    runs = federation.groupby(["clients", "alpha"]).size()
    assert set(runs.index) == {(3, 0.5), (3, 10.0), (2, 0.5)} and (runs == config.rounds + 1).all()
    assert sorted(sweep["epsilon"].unique()) == [2.0, math.inf] and len(sweep) == len(heads) == 4
    private = sweep[sweep["epsilon"] == 2.0]
    assert private["epsilon_spent"].tolist() == pytest.approx([2.0, 2.0], abs=0.05)
    assert (sweep[sweep["epsilon"] == math.inf]["epsilon_spent"] == math.inf).all()
    assert experiment.delta_for(config, data) == 1 / 240
    # the accuracy the first chapter records equals the one recomputed from the saved probabilities
    np.testing.assert_allclose(table["accuracy"], [(test.argmax(1) == data.y_test).mean() for _, test in heads])
    assert table["automation_rate"].between(0, 1).all() and table["automation_precision"].between(0, 1).all()


def test_heads_round_trip(results, tmp_path):
    heads = results[6]
    loaded = scoring.load_heads(scoring.save_heads(tmp_path / "heads.npz", heads))
    assert len(loaded) == len(heads)
    for (val, test), (val2, test2) in zip(heads, loaded, strict=True):
        np.testing.assert_allclose(val, val2, rtol=1e-6)
        np.testing.assert_allclose(test, test2, rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_every_glued_name_in_the_prose_is_produced(name, results, monkeypatch):
    monkeypatch.chdir(ROOT)
    data, config, skew, central, federation, sweep, heads, table = results
    cost = money.cost_of_privacy(table, MarketParams(), _measured())
    item = explain.explain(lambda texts: np.tile([0.1, 0.6, 0.2, 0.1], (len(texts), 1)), data.x_test[0],
                           "my card is lost", "a", data.labels, data.x_train, data.y_train, data.train_texts)
    glued = {
        **words.skew_headlines(skew, config), **words.federation_headlines(federation, central, config),
        **words.privacy_headlines(sweep, config), **words.automation_headlines(table, config, 0.9),
        **words.cost_headlines(cost, 20000), **words.explanation_headlines([item], "minilm-finetuned"),
    }  # fmt: skip
    code = "".join(_source(c) for c in _cells(name) if c["cell_type"] == "code")
    glued.update({key: "figure" for key in re.findall(r'glue_figure\("([a-z_]+)"', code)})
    text = "".join(_source(c) for c in _cells(name) if c["cell_type"] == "markdown")
    referenced = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)`", text))
    referenced |= set(re.findall(r"```\{glue:figure\} ([A-Za-z0-9_]+)", text))
    assert referenced and referenced <= set(glued), referenced - set(glued)
    assert all(isinstance(v, str) and v for v in glued.values())
    assert "ε = 2" in glued["dp_sentence"] and "banks" in glued["fed_rounds_sentence"]


def _measured():
    from startup_report.evaluation.handoff import ModelMetrics

    return ModelMetrics(
        model="minilm-logreg", family="frozen", accuracy=0.9, accuracy_ci=(0.89, 0.91), macro_f1=0.9,
        macro_f1_ci=(0.89, 0.91), ece=0.02, ece_before=0.05, temperature=1.2, target_precision=0.9, threshold=0.8,
        automation_rate=0.8, automation_rate_ci=(0.78, 0.82), automation_precision=0.96,
        automation_precision_ci=(0.95, 0.97), latency_ms_p50=10.0, latency_ms_p95=12.0, throughput_per_s=400.0,
        peak_memory_mb=500.0, serving_cost_per_million_usd=50.0,
    )  # fmt: skip


def test_saved_tables_have_the_columns_the_book_reads(results):
    federation, table = results[4], results[7]
    assert {"round", "accuracy", "clients", "alpha"} <= set(federation.columns)
    assert {"setting", "epsilon", "accuracy", "automation_rate", "automation_precision"} <= set(table.columns)
    assert isinstance(table, pd.DataFrame)


def test_scoring_what_the_privacy_chapter_saved_imports_no_torch():
    """The cost chapter scores the saved heads; with its explanations' texts in the embedding cache it then
    never pays for importing torch (seconds per rerun, and a market parameter reruns it)."""
    import subprocess
    import sys

    code = "import sys, startup_report.privacy.scoring, startup_report.modeling.persist; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
