"""Serving figures: measured in a subprocess, priced, and cached by content so reruns re-measure nothing."""

import itertools

import numpy as np
import pytest

from startup_report.evaluation import serving
from startup_report.modeling import timing
from startup_report.modeling.classical import TfidfLogReg
from startup_report.modeling.persist import load_model, save_model

TEXTS = ["card arrived", "card never came", "refund please", "where is my refund", "pin blocked", "unblock pin"]
LABELS = np.array([0, 0, 1, 1, 2, 2])


@pytest.fixture
def model_file(tmp_path):
    model = TfidfLogReg(n_classes=3)
    model.fit(TEXTS, LABELS, TEXTS, LABELS, seed=0)
    return save_model(model, tmp_path / "models" / "tfidf.pkl")


def test_cost_per_million_is_hours_times_price():
    # 1e6 messages at 1,000 per second take 1,000 s = 0.2778 h; at $0.36 per hour that is $0.10.
    assert serving.cost_per_million(1000.0, 0.36) == pytest.approx(0.10)


def test_measured_once_then_read_from_the_cache(model_file, tmp_path, monkeypatch):
    monkeypatch.setattr(timing, "BUSY_SPREAD", float("inf"))  # a quiet machine (busy ones: tests below)
    monkeypatch.setattr(timing, "BUSY_LOAD", float("inf"))
    cache = tmp_path / "cache"
    table = serving.measure_models({"classical": model_file}, TEXTS * 10, 0.0816, tmp_path, cache)
    row = table.set_index("family").loc["classical"]
    assert row["throughput_per_s"] > 0 and row["latency_ms_p95"] >= row["latency_ms_p50"] > 0
    assert row["serving_cost_per_million_usd"] == pytest.approx(
        serving.cost_per_million(row["throughput_per_s"], 0.0816)
    )
    assert len(list((cache / "serving").rglob("*.json"))) == 1
    assert not list(tmp_path.glob("*.parquet"))  # the messages file is removed

    def no_subprocess(*args, **kwargs):
        raise AssertionError("measured again although nothing changed")

    monkeypatch.setattr(serving, "measure_in_subprocesses", no_subprocess)
    again = serving.measure_models({"classical": model_file}, TEXTS * 10, 0.2, tmp_path, cache)
    assert again.loc[0, "throughput_per_s"] == row["throughput_per_s"]  # the stored measurement
    assert again.loc[0, "serving_cost_per_million_usd"] == pytest.approx(
        serving.cost_per_million(row["throughput_per_s"], 0.2)
    )
    with pytest.raises(AssertionError, match="measured again"):  # more messages served: a new measurement
        serving.measure_models({"classical": model_file}, TEXTS * 10, 0.2, tmp_path, cache, n_messages=64)
    with pytest.raises(AssertionError, match="measured again"):  # latency over fewer singles: a new measurement
        fewer = serving.Method(singles=20)
        serving.measure_models({"classical": model_file}, TEXTS * 10, 0.2, tmp_path, cache, method=fewer)


def test_a_model_trained_again_by_the_same_run_is_not_measured_again(model_file, tmp_path, monkeypatch):
    """Training writes the run key beside the model; a fresh build's pickle of the same run has other bytes
    (Keras stamps the save time) but the same key, so its measurement comes from the machine's cache."""
    monkeypatch.setattr(timing, "BUSY_SPREAD", float("inf"))  # a quiet machine
    monkeypatch.setattr(timing, "BUSY_LOAD", float("inf"))
    cache = tmp_path / "cache"
    model_file.with_suffix(".key").write_text("ab" * 32 + "\n")
    first = serving.measure_models({"classical": model_file}, TEXTS * 10, 0.1, tmp_path, cache)
    model_file.write_bytes(model_file.read_bytes() + b"other bytes after the pickle")
    monkeypatch.setattr(serving, "measure_in_subprocesses", lambda *args, **kwargs: pytest.fail("measured again"))
    again = serving.measure_models({"classical": model_file}, TEXTS * 10, 0.1, tmp_path, cache)
    assert again.loc[0, "throughput_per_s"] == first.loc[0, "throughput_per_s"]
    model_file.with_suffix(".key").write_text("cd" * 32 + "\n")  # another run: measured afresh
    with pytest.raises(pytest.fail.Exception, match="measured again"):
        serving.measure_models({"classical": model_file}, TEXTS * 10, 0.1, tmp_path, cache)


def test_the_first_messages_are_served_repeated_when_there_are_fewer():
    assert serving.served_messages(["a", "b", "c"], 2) == ["a", "b"]
    assert serving.served_messages(["a", "b", "c"], 7) == ["a", "b", "c", "a", "b", "c", "a"]
    with pytest.raises(ValueError, match="test split is empty"):
        serving.served_messages([], 32)


def test_the_key_changes_with_the_model_and_the_messages(model_file, tmp_path):
    key = serving.cache_key(model_file, TEXTS)
    assert key == serving.cache_key(model_file, list(TEXTS))
    other = TfidfLogReg(n_classes=3, c=1.0)
    other.fit(TEXTS, LABELS, TEXTS, LABELS, seed=0)
    assert serving.cache_key(save_model(other, tmp_path / "other.pkl"), TEXTS) != key
    assert serving.cache_key(model_file, TEXTS[:3]) != key


def _figures(spread: float) -> dict:
    rounds = [{"latency_ms_p50": 1.0, "latency_ms_p95": 2.0, "throughput_per_s": 100.0 * (1 + spread * i)}
              for i in (0, 1)]  # fmt: skip
    figures = {"latency_ms_p50": 1.0, "latency_ms_p95": 2.0, "throughput_per_s": 100.0, "batch_size": 32}
    return {**figures, "peak_memory_mb": 50.0, "rounds": rounds, "spread": serving.spread(rounds), "load": 0.5}


def test_a_measurement_reports_its_rounds_and_their_spread(model_file):
    from startup_report.modeling.persist import load_model

    figures = serving.measure(load_model(model_file), TEXTS * 10, rounds=3, singles=10)
    assert len(figures["rounds"]) == 3 and figures["spread"] == serving.spread(figures["rounds"]) >= 0
    assert figures["load"] > 0
    middle = sorted(r["latency_ms_p50"] for r in figures["rounds"])[1]
    assert figures["latency_ms_p50"] == middle  # the median round
    assert serving.spread([{"latency_ms_p50": 1.0, "throughput_per_s": 10.0},
                           {"latency_ms_p50": 1.5, "throughput_per_s": 10.0}]) == pytest.approx(0.5)  # fmt: skip


def test_a_busy_measurement_is_redone_once_and_the_quieter_kept(monkeypatch):
    results = iter([_figures(0.5), _figures(0.4), _figures(0.01)])
    monkeypatch.setattr(serving, "measure", lambda model, texts, **kwargs: next(results))
    busy = serving.measure_quietly(None, TEXTS)  # rounds disagree twice: the quieter of the two, still busy
    assert busy["spread"] == pytest.approx(0.4) and busy["attempts"] == 2 and not serving.quiet(busy)
    assert serving.measure_quietly(None, TEXTS)["attempts"] == 1  # quiet at once: measured once


def test_rounds_that_agree_on_a_loaded_machine_are_busy_too():
    """Other work slows every round alike: the rounds agree on a slow figure, and the load average says why."""
    assert serving.quiet(_figures(0.01))
    assert not serving.quiet({**_figures(0.01), "load": 3.0})


def test_a_busy_measurement_serves_its_build_and_is_never_kept(model_file, tmp_path, monkeypatch):
    """Still busy after the second try: this build shows it, with its spread, and nothing is stored, so the next
    build measures afresh instead of reusing a figure timed on a busy machine."""
    cache, calls = tmp_path / "cache", []

    def busy(paths, *args, **kwargs):
        calls.append(len(paths))
        return iter([_figures(0.5)] * len(paths))

    monkeypatch.setattr(serving, "measure_in_subprocesses", busy)
    table = serving.measure_models({"classical": model_file}, TEXTS, 0.1, tmp_path, cache, n_messages=20)
    assert table.loc[0, "spread"] == pytest.approx(0.5) and not (cache / "serving").exists()
    monkeypatch.setattr(serving, "measure_in_subprocesses", lambda paths, *a, **k: iter([_figures(0.01)]))
    serving.measure_models({"classical": model_file}, TEXTS, 0.1, tmp_path, cache, n_messages=20)
    assert len(list((cache / "serving").rglob("*.json"))) == 1  # measured again, quiet: kept


def test_processes_load_together_but_measure_one_at_a_time(model_file, tmp_path):
    """Three models, two loading at once: every process is fresh (its own peak memory), and no measurement
    overlaps another, so none of them timed a CPU shared with another model of ours."""
    import pandas as pd

    messages = tmp_path / "m.parquet"
    pd.DataFrame({"text": TEXTS * 10}).to_parquet(messages)
    figures = list(serving.measure_in_subprocesses([model_file] * 3, messages, tmp_path, loading=2))
    assert len(figures) == 3 and all(f["peak_memory_mb"] > 0 for f in figures)
    windows = sorted(tuple(f["measured_between"]) for f in figures)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(windows))
    assert not list(tmp_path.glob("serving-*.json"))  # each process's output file is removed


def test_a_model_that_cannot_load_names_its_file_and_the_error(tmp_path):
    import pandas as pd

    messages = tmp_path / "m.parquet"
    pd.DataFrame({"text": TEXTS}).to_parquet(messages)
    broken = tmp_path / "broken.pkl"
    broken.write_bytes(b"not a pickle")
    with pytest.raises(RuntimeError, match=r"(?s)broken\.pkl failed.*UnpicklingError"):
        list(serving.measure_in_subprocesses([broken], messages, tmp_path))


def test_singles_and_attempts_reach_the_serving_process(model_file, tmp_path, monkeypatch):
    """`evaluation.serving_singles` and `serving_attempts` are what the measuring process uses: one attempt
    however busy the machine, each round timing exactly that many messages one at a time."""
    monkeypatch.setattr(timing, "BUSY_SPREAD", -1.0)  # every measurement looks busy: only `attempts` stops it
    seen, real = [], serving._round

    def counting(model, texts, singles, batch_size):
        seen.append(singles)
        return real(model, texts, singles, batch_size)

    monkeypatch.setattr(serving, "_round", counting)
    figures = serving.measure_quietly(load_model(model_file), TEXTS * 10, serving.Method(singles=7, attempts=1))
    assert figures["attempts"] == 1 and seen == [7] * serving.ROUNDS
