"""The training grid on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1.

Workers get the data with the tasks (scattered once) and the encoder from the installed package, exactly
as workers on other machines would; the metrics must equal the in-process run's.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from startup_report.data.dataset import prepare
from startup_report.engine.tasks import WORKER_ENV, task_pool
from startup_report.modeling import grid
from startup_report.modeling.runs import RunData
from startup_report.params import DataParams, ModelParams, TrainingParams

DATA = Path(__file__).parent / "data"
DASK = str(Path(sys.executable).with_name("dask"))
SCORES = ["family", "model", "budget", "seed", "accuracy", "macro_f1", "val_accuracy"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers, stopped after the tests."""
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    env = {**os.environ, **WORKER_ENV}
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(address_file), *common],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = [
        subprocess.Popen(
            [DASK, "worker", "--scheduler-file", str(address_file), "--nthreads", "1", "--nworkers", "1", *common],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        with Client(scheduler_file=str(address_file), timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
            yield client.scheduler.address
    finally:
        for process in [*workers, scheduler]:
            process.terminate()
        for process in [*workers, scheduler]:
            process.wait(timeout=30)


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
