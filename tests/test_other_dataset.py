"""Another intent dataset, with other column names and no test file, runs through the whole report."""

import json

import pandas as pd
import pytest

from startup_report.devtools.copies import copy_sources
from tests.conftest import ROOT, SMOKE, cli

pytestmark = pytest.mark.e2e


def test_whole_report_runs_on_another_dataset(tmp_path):
    copy_sources(ROOT, tmp_path)
    dataset = ROOT / "tests" / "data" / "travel_intents.csv"
    overrides = [
        "-p",
        f"data.train={dataset}",
        "-p",
        "data.test=null",
        "-p",
        "data.text_column=utterance",
        "-p",
        "data.label_column=intent",
        "-p",
        "data.sample_fraction=1.0",
        "-p",
        "data.name=travel-intents",  # declared: no published results belong to it
    ]
    run = cli(tmp_path, "run", *SMOKE, *overrides)
    assert run.returncode == 0, run.stdout + run.stderr
    results = pd.read_csv(tmp_path / "build/training/results.csv", dtype={"budget": str})
    assert set(results["family"]) == {"classical", "scratch", "frozen", "finetuned", "setfit", "ensemble"}
    assert set(results["budget"]) == {"3", "full"}
    metrics = json.loads((tmp_path / "build/evaluation/metrics.json").read_text())
    card = json.loads((tmp_path / "build/data-prep/data_card.json").read_text())
    assert card["n_labels"] == 6
    # 20% of 270 messages held out by seed, minus exact duplicates of training messages (leakage).
    assert metrics["n_test"] == card["counts"]["test"] == 54 - card["test_duplicates_of_train"]["removed"]
    assert metrics["accuracy"] > 2 / card["n_labels"]  # well above chance on six intents
    book = cli(tmp_path, "book")
    assert book.returncode == 0, book.stdout + book.stderr
    assert "No published results for this dataset" in (tmp_path / "_build/html/notebooks/03-training.html").read_text()
    assert metrics["dataset"] == "travel-intents"
    market = (tmp_path / "_build/html/notebooks/05-market-analysis.html").read_text()
    assert "published for BANKING77 as a proxy" in market and "accuracy on travel-intents" in market
