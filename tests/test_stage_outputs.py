"""Each stage's writer writes exactly the outputs the stage declares in chain.py, and they read back intact."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from startup_report.chain import ALL, STAGE_BY_NAME
from startup_report.data import artifacts
from startup_report.data.dataset import Splits
from startup_report.engine import files
from startup_report.evaluation import handoff
from startup_report.modeling import persist
from startup_report.modeling.grid import GridResult
from startup_report.modeling.runs import RunOutcome
from startup_report.privacy import scoring
from startup_report.privacy.explain import Explanation
from startup_report.stages import (
    data_prep,
    evaluation,
    market_analysis,
    model_build,
    privacy,
    privacy_cost,
    training,
    whatif,
)
from tests.test_market_stage import write_evaluation


def _splits() -> Splits:
    frame = pd.DataFrame({"text": ["hi there", "bye now"], "label": ["greet", "leave"]})
    return Splits(train=frame, validation=frame.head(1), test=frame.tail(1), labels=["greet", "leave"],
                  duplicates_found=0, duplicates_removed=0, dataset="toy")  # fmt: skip


def _grid() -> GridResult:
    run = RunOutcome(row={"model": "toy", "accuracy": 0.5}, val_probs=np.full((2, 2), 0.5),
                     test_probs=np.full((3, 2), 0.5), history={"loss": [1.0, 0.5]},
                     model={"weights": [1, 2]})  # fmt: skip
    return GridResult(results=pd.DataFrame([run.row]), best={"toy": run})


def _evaluation(tmp: Path) -> list[Path]:
    metrics = handoff.read(write_evaluation(tmp / "made") / "metrics.json")
    frame = pd.DataFrame({"text": ["hi"], "predicted": ["greet"]})
    return evaluation.write(tmp / "out", metrics, frame, frame, frame, frame)


def _explanation() -> Explanation:
    words = pd.DataFrame({"position": [0], "word": ["hi"], "change_predicted": [0.2], "change_true": [0.1]})
    neighbours = pd.DataFrame({"intent": ["greet"], "role": ["predicted"], "text": ["hello"], "similarity": [0.9]})
    return Explanation("hi", "greet", "leave", "greet", 0.6, 0.3, neighbours, words)


FRAME = pd.DataFrame({"setting": ["central"], "accuracy": [0.9]})
HEADS = [(np.full((2, 2), 0.5), np.full((3, 2), 0.5))]
WRITERS = {
    "data-prep": lambda tmp: data_prep.write(tmp / "out", _splits()),
    "model-build": lambda tmp: model_build.write(tmp / "out", pd.DataFrame([{"model": "toy"}]), 10, 2, 1000),
    "training": lambda tmp: training.write(tmp / "out", _grid()),
    "evaluation": _evaluation,
    "privacy": lambda tmp: privacy.write(tmp / "out", FRAME, FRAME, HEADS),
    "privacy-cost": lambda tmp: privacy_cost.write(tmp / "out", FRAME, FRAME, [_explanation()]),
    "whatif": lambda tmp: whatif.write(tmp / "out", {"points": 1}),
    "market-analysis": lambda tmp: _market(tmp),
}


def _market(tmp: Path) -> list[Path]:
    from startup_report.market import handoff as market_handoff
    from startup_report.market import whatif_model
    from tests.test_market_stage import run
    from tests.test_whatif_model import plan_basis

    _, result = run(write_evaluation(tmp / "made"))
    basis = plan_basis(100)
    written = market_analysis.write(tmp / "out", FRAME, FRAME, FRAME, [basis], result)
    assert market_handoff.read(tmp / "out" / "market.json") == result  # the typed hand-off reads back
    assert whatif_model.load(tmp / "out" / "whatif_basis.json")[0].base == basis.base
    return written


def test_every_stage_with_outputs_has_a_writer():
    assert set(WRITERS) == {stage.name for stage in ALL if stage.outputs}


@pytest.mark.parametrize("name", WRITERS)
def test_the_writer_writes_exactly_the_declared_outputs(name, tmp_path):
    (tmp_path / "out").mkdir()
    written = WRITERS[name](tmp_path)
    declared = sorted(STAGE_BY_NAME[name].outputs)
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == declared
    assert sorted(path.name for path in written) == declared and all(path.exists() for path in written)


def test_data_prep_outputs_read_back(tmp_path):
    data_prep.write(tmp_path, _splits())
    pd.testing.assert_frame_equal(artifacts.load_split(tmp_path, "test"), _splits().test.reset_index(drop=True))
    assert files.read_json(tmp_path / "labels.json") == ["greet", "leave"]
    card = files.read_json(tmp_path / "data_card.json")
    assert card["dataset"] == "toy" and card["counts"] == {"train": 2, "validation": 1, "test": 1}


def test_training_outputs_read_back_where_evaluation_and_privacy_look(tmp_path):
    training.write(tmp_path, _grid())
    assert persist.load_model(persist.model_file(tmp_path, "toy")) == {"weights": [1, 2]}
    probabilities = artifacts.load_probabilities(tmp_path / "probabilities.npz")
    assert probabilities["toy"]["test"].shape == (3, 2)
    assert files.read_json(tmp_path / "best_runs.json") == {"toy": {"model": "toy", "accuracy": 0.5}}
    assert files.read_json(tmp_path / "histories.json") == {"toy": {"loss": [1.0, 0.5]}}


def test_privacy_heads_and_explanations_read_back(tmp_path):
    privacy.write(tmp_path, FRAME, FRAME, HEADS)
    (val, test), *_ = scoring.load_heads(tmp_path / "heads.npz")
    assert val.shape == (2, 2) and test.shape == (3, 2)
    privacy_cost.write(tmp_path, FRAME, FRAME, [_explanation()])
    (row,) = files.read_json(tmp_path / "explanations.json")
    assert row["word that pushed most"] == "hi" and row["neighbours"][0]["text"] == "hello"
