"""Serving measurements on this machine: single-message latency, batch throughput, peak memory.

Each model is measured in a fresh subprocess, so peak memory (the child's maximum resident set size)
belongs to that model alone and one model's warm caches do not flatter the next. The processes load
side by side but measure one at a time (`measure_in_subprocesses`).
Run as: python -m startup_report.evaluation.serving MODEL.pkl MESSAGES.parquet OUT.json; it prints
"loaded" and measures after a line on stdin (press Enter when run by hand).

A measurement is ``ROUNDS`` rounds of the same work; its figures are the rounds' medians and its
``spread`` how far the rounds disagree. Rounds that disagree by more than ``timing.BUSY_SPREAD``, or a machine
whose load average exceeded its cores while it measured (other work slows every round alike, so the rounds
can agree on a slow figure), mean the machine was busy: the model is measured once more, and a measurement
that stays busy serves this build only (its spread in the table), never a later one.

Quiet measurements are kept per machine (``machine_cache()/serving``), by content: the model (its training
run's key, `model_identity`), the messages, this module, the installed packages, the CPU model, its cores and
the thread cap. An evaluation rerun for another target precision, another checkout or a fresh build that
trains the same model again re-measures nothing (a timing is a fact about the machine, like the encoder's
speed), while a new model, another package version or another kind of machine is measured afresh.
"""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from startup_report.modeling import timing

ROUNDS = 3  # rounds of one measurement


def _round(model, texts: list[str], singles: int, batch_size: int) -> dict:
    latencies = []
    for text in texts[:singles]:
        start = time.perf_counter()
        model.predict_proba([text])
        latencies.append(1000.0 * (time.perf_counter() - start))
    start = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        model.predict_proba(texts[i : i + batch_size])
    return {
        "latency_ms_p50": float(np.percentile(latencies, 50)),
        "latency_ms_p95": float(np.percentile(latencies, 95)),
        "throughput_per_s": len(texts) / (time.perf_counter() - start),
    }


def spread(rounds: list[dict]) -> float:
    """How far the rounds disagree: the larger `timing.spread` of their p50 latencies and throughputs."""
    return max(timing.spread([r[key] for r in rounds]) for key in ("latency_ms_p50", "throughput_per_s"))


def measure(model, texts: list[str], rounds: int = ROUNDS, singles: int = 60, batch_size: int = 32) -> dict:
    """Latency of one message at a time (p50, p95) and messages per second classifying all ``texts`` in batches:
    the median of ``rounds`` rounds, with every round, their spread and the machine's load per core."""
    model.predict_proba(texts[:batch_size])  # warm-up: first calls compile or allocate
    load = timing.load_per_core()
    measured = [_round(model, texts, singles, batch_size) for _ in range(rounds)]
    figures = {key: float(np.median([r[key] for r in measured])) for key in measured[0]}
    load = max(load, timing.load_per_core())
    return {**figures, "batch_size": batch_size, "rounds": measured, "spread": spread(measured), "load": load}


def quiet(figures: dict) -> bool:
    """Whether a measurement's rounds agree on a machine that had a core for it: only such a measurement is
    kept for later builds."""
    return timing.quiet(figures["spread"], figures.get("load", 0.0))


@dataclass(frozen=True)
class Method:
    """How a model is measured: ``singles`` messages one at a time in each round (the latency percentiles),
    and at most ``attempts`` measurements while the rounds disagree."""

    singles: int = 60
    attempts: int = 2


def measure_quietly(model, texts: list[str], method: Method = Method()) -> dict:
    """``measure``, again while its rounds disagree (up to ``method.attempts`` in all): the quietest measurement."""
    best: dict = {}
    for attempt in range(1, method.attempts + 1):
        figures = measure(model, texts, singles=method.singles)
        if not best or figures["spread"] < best["spread"]:
            best = {**figures, "attempts": attempt}
        if quiet(best):
            break
    return best


LOADING = 4  # serving processes that load at once (measure_in_subprocesses)
# What a serving process prints once its model is loaded; it then waits for a line on stdin before measuring.
LOADED = "loaded"


def _start(model_path: Path, messages_path: Path, out_path: Path, log, method: Method) -> subprocess.Popen:
    command = [sys.executable, "-m", "startup_report.evaluation.serving", str(model_path), str(messages_path)]
    command += [str(out_path), str(method.singles), str(method.attempts)]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)


def _failed(model_path: Path, log) -> RuntimeError:
    log.seek(0)
    tail = "\n".join(log.read().strip().splitlines()[-15:])
    return RuntimeError(f"serving measurement of {Path(model_path).name} failed:\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def _measure_batch(model_paths: list[Path], messages_path: Path, workdir: Path, method: Method) -> list[dict]:
    with ExitStack() as stack:
        started = []
        for i, model_path in enumerate(model_paths):
            log = stack.enter_context(tempfile.TemporaryFile("w+"))
            out = Path(workdir) / f"serving-{i}.json"
            process = _start(model_path, messages_path, out, log, method)
            stack.callback(out.unlink, missing_ok=True)
            stack.callback(_stop, process)
            started.append((model_path, process, log, out))
        for model_path, process, log, _ in started:  # every process of the batch loaded: from now on they idle
            if not any(line.strip() == LOADED for line in iter(process.stdout.readline, "")):
                process.wait()
                raise _failed(model_path, log)
        figures = []
        for model_path, process, log, out in started:  # one measures, the others wait on their stdin
            process.communicate("go\n")  # also drains its stdout, so a chatty library cannot block it
            if process.returncode != 0:
                raise _failed(model_path, log)
            figures.append(json.loads(out.read_text()))
        return figures


def measure_in_subprocesses(
    model_paths: list[Path], messages_path: Path, workdir: Path, loading: int | None = None, method: Method = Method()
) -> Iterator[dict]:
    """Serving figures of each model, each in a fresh process, yielded in the order given, batch by batch
    (a caller can keep a batch's figures before the next batch starts).

    Most of a serving process's life is imports and loading weights, which no figure includes. So ``loading``
    processes (default 4) start and load together, then measure one at a time while the others wait idle on
    their stdin: no measurement shares the CPU with another process of ours. Loading is mostly single-threaded
    imports, so more processes than cores keep both cores busy, at the cost of the memory of the waiting ones.
    """
    loading = max(1, loading or LOADING)
    for start in range(0, len(model_paths), loading):
        batch = list(model_paths[start : start + loading])
        yield from _measure_batch(batch, messages_path, workdir, method)


# The serving table's columns, in the order a measurement produces them (a cached one is read back sorted).
COLUMNS = ("latency_ms_p50", "latency_ms_p95", "throughput_per_s", "batch_size", "peak_memory_mb", "spread", "load")


def model_identity(model_path: Path) -> str:
    """The model's run key, which training writes beside it (``NAME.key``), else the hash of its bytes.

    A fresh build trains the same model again (same data, settings, code, encoder, packages: the run key) but
    pickles it to other bytes, so the bytes alone would measure every fresh build's models again."""
    key_file = Path(model_path).with_suffix(".key")
    if key_file.is_file():
        return "run:" + key_file.read_text().strip()
    return hashlib.sha256(Path(model_path).read_bytes()).hexdigest()


def cache_key(model_path: Path, messages: Sequence[str], singles: int = Method.singles) -> str:
    """What a measurement depends on: the model, the messages and how many go one at a time, this code, the
    packages, the machine."""
    from startup_report.engine import fingerprint
    from startup_report.modeling import machine

    return fingerprint.digest({
        "model": model_identity(model_path),
        "messages": hashlib.sha256("\0".join(messages).encode()).hexdigest(),
        "singles": singles,
        "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "environment": fingerprint.Code.of(__name__.partition(".")[0]).environment_sha256(),
        **machine.identity(),
    })  # fmt: skip


def measure_all(
    models: dict[str, Path], messages_path: Path, workdir: Path, cache: Path | None = None, method: Method = Method()
) -> dict[str, dict]:
    """Serving figures per name in ``models``: from ``cache`` (default: the machine cache) when a quiet
    measurement is stored, else measured now (`measure_quietly`), and stored only when quiet."""
    import pandas as pd

    from startup_report.engine.files import read_json, write_json

    messages = pd.read_parquet(messages_path)["text"].tolist()
    stored = {name: _stored(model_path, messages, cache, method.singles) for name, model_path in models.items()}
    figures = {name: read_json(path) for name, path in stored.items() if path.is_file()}
    todo = [name for name in models if name not in figures]
    paths = [models[name] for name in todo]
    fresh = measure_in_subprocesses(paths, messages_path, workdir, method=method) if todo else ()
    for name, measured in zip(todo, fresh, strict=True):  # stored as they come: a later failure keeps these
        figures[name] = measured
        if quiet(measured):
            stored[name].parent.mkdir(parents=True, exist_ok=True)
            write_json(stored[name], measured)
    return {name: figures[name] for name in models}


def _stored(model_path: Path, messages: Sequence[str], cache: Path | None, singles: int) -> Path:
    from startup_report.engine.layout import machine_cache

    key = cache_key(model_path, messages, singles)
    return Path(cache or machine_cache()) / "serving" / key[:2] / f"{key}.json"


def served_messages(texts: list[str], n_messages: int) -> list[str]:
    """The ``n_messages`` messages a measurement classifies: the first ones, repeated when there are fewer."""
    if not texts:
        raise ValueError("no messages to serve: the test split is empty")
    return (texts * (n_messages // len(texts) + 1))[:n_messages]


def measure_models(
    models: dict[str, Path],
    texts: list[str],
    cpu_usd_per_hour: float,
    workdir: Path,
    cache: Path | None = None,
    n_messages: int = 512,
    method: Method = Method(),
):
    """Serving table, one row per name in ``models`` (name -> saved model): latency, throughput, memory, cost.

    ``texts`` are the candidate messages (the test split in the report), of which ``n_messages`` are served
    (``evaluation.serving_messages``) after ``method.singles`` one at a time (``evaluation.serving_singles``); a
    measurement whose rounds disagree is taken again, up to ``method.attempts`` (``evaluation.serving_attempts``).
    """
    import pandas as pd

    messages = Path(workdir) / "serving_messages.parquet"
    pd.DataFrame({"text": served_messages(texts, n_messages)}).to_parquet(messages, index=False)
    rows = {}
    try:
        for name, measured in measure_all(models, messages, Path(workdir), cache, method).items():
            figures = {column: measured[column] for column in COLUMNS}
            figures["serving_cost_per_million_usd"] = cost_per_million(figures["throughput_per_s"], cpu_usd_per_hour)
            rows[name] = figures
    finally:
        messages.unlink(missing_ok=True)
    return pd.DataFrame(rows).T.rename_axis("family").reset_index()


def cost_per_million(throughput_per_s: float, cpu_usd_per_hour: float) -> float:
    """USD to classify a million messages on a machine rented at ``cpu_usd_per_hour``, kept fully busy."""
    hours = 1e6 / throughput_per_s / 3600.0
    return hours * cpu_usd_per_hour


def main(model_path: str, messages_path: str, out_path: str, method: Method = Method()) -> None:
    import pandas as pd

    from startup_report.modeling.persist import load_model

    model = load_model(Path(model_path))
    texts = pd.read_parquet(messages_path)["text"].tolist()
    model.predict_proba(texts[:1])  # loads what a model holds lazily (the frozen encoder's weights)
    print(LOADED, flush=True)
    if not sys.stdin.readline():  # the parent's go (the others have loaded and now idle); end of input: it died
        sys.exit("serving: no go from the parent process; nothing measured")
    window = time.time()
    figures = measure_quietly(model, texts, method)
    figures["measured_between"] = [window, time.time()]  # wall clock, comparable across processes
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    Path(out_path).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:4], Method(*map(int, sys.argv[4:6])))
