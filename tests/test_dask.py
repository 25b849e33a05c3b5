"""The training grid on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1.

Workers get the data with the tasks (scattered once) and the encoder from the installed package, exactly
as workers on other machines would; the metrics must equal the in-process run's.
"""

from pathlib import Path

import pandas as pd

from startup_report.data.dataset import prepare
from startup_report.engine.tasks import task_pool
from startup_report.modeling import grid
from startup_report.modeling.runs import RunData
from startup_report.params import DataParams, ModelParams, TrainingParams

DATA = Path(__file__).parent / "data"
SCORES = ["family", "model", "budget", "seed", "accuracy", "macro_f1", "val_accuracy"]


def test_grid_on_a_real_scheduler_equals_the_in_process_grid(cluster):
    splits = prepare(
        DataParams(train="travel_intents.csv", test=None, text_column="utterance", label_column="intent"), DATA, seed=0
    )
    data = RunData(splits.train, splits.validation, splits.test, tuple(splits.labels))
    training = TrainingParams(
        models=["tfidf-logreg", "embedding-pooling", "minilm-logreg"], budgets=[5], n_seeds=2, epochs=2
    )
    specs = grid.plan_runs(ModelParams(sequence_length=12, embedding_dim=16, hidden_units=16), training, seed=0)
    local = grid.run_grid(specs, data, log=lambda _: None)
    lines: list[str] = []
    with task_pool(scheduler=cluster) as pool:
        assert "2 workers" in pool.description
        remote = grid.run_grid(specs, data, pool=pool, log=lines.append)
    assert remote.trained == len(specs)
    pd.testing.assert_frame_equal(local.results[SCORES], remote.results[SCORES])
    assert sum(" trained " in line for line in lines) == len(specs)
