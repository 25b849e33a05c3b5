"""Serving measurements on this machine: single-message latency, batch throughput, peak memory.

Each model is measured in a fresh subprocess, so peak memory (the child's maximum resident set size)
belongs to that model alone and one model's warm caches do not flatter the next.
Run as: python -m startup_report.evaluation.serving MODEL.pkl MESSAGES.parquet OUT.json

Measurements are cached by content (model file, messages, this module, installed packages, CPU model):
an evaluation rerun for another target precision re-measures nothing, while a new model, another
package version or another kind of CPU is measured afresh.
"""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def measure(model, texts: list[str], singles: int = 60, batch_size: int = 32) -> dict:
    """Latency of one message at a time (p50, p95) and messages per second classifying all ``texts`` in batches."""
    model.predict_proba(texts[:batch_size])  # warm-up: first calls compile or allocate
    latencies = []
    for text in texts[:singles]:
        start = time.perf_counter()
        model.predict_proba([text])
        latencies.append(1000.0 * (time.perf_counter() - start))
    start = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        model.predict_proba(texts[i : i + batch_size])
    seconds = time.perf_counter() - start
    return {
        "latency_ms_p50": float(np.percentile(latencies, 50)),
        "latency_ms_p95": float(np.percentile(latencies, 95)),
        "throughput_per_s": len(texts) / seconds,
        "batch_size": batch_size,
    }


def measure_in_subprocess(model_path: Path, messages_path: Path, out_path: Path) -> dict:
    subprocess.run(
        [sys.executable, "-m", "startup_report.evaluation.serving", str(model_path), str(messages_path), str(out_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out_path.read_text())


# The serving table's columns, in the order a measurement produces them (a cached one is read back sorted).
COLUMNS = ("latency_ms_p50", "latency_ms_p95", "throughput_per_s", "batch_size", "peak_memory_mb")


def cache_key(model_path: Path, messages_path: Path) -> str:
    """What a measurement depends on: the model's bytes, the messages, this code, the packages, the CPU."""
    from startup_report.engine import fingerprint, machine

    parts = {
        "model": hashlib.sha256(Path(model_path).read_bytes()).hexdigest(),
        "messages": hashlib.sha256(Path(messages_path).read_bytes()).hexdigest(),
        "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "environment": fingerprint.environment_sha256(),
        "cpu": machine.cpu_name(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def measure_cached(model_path: Path, messages_path: Path, cache: Path | None) -> tuple[dict, bool]:
    """Serving figures for one model, from ``cache`` when measured before; (figures, whether cached)."""
    from startup_report.engine.files import read_json, write_json

    if cache is None:
        out = Path(messages_path).with_suffix(".measured.json")
        try:
            return measure_in_subprocess(model_path, messages_path, out), False
        finally:
            out.unlink(missing_ok=True)
    key = cache_key(model_path, messages_path)
    stored = Path(cache) / "serving" / key[:2] / f"{key}.json"
    if stored.is_file():
        return read_json(stored), True
    stored.parent.mkdir(parents=True, exist_ok=True)
    figures = measure_in_subprocess(model_path, messages_path, stored.with_suffix(".tmp"))
    stored.with_suffix(".tmp").unlink(missing_ok=True)
    write_json(stored, figures)
    return figures, False


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
):
    """Serving table, one row per name in ``models`` (name -> saved model): latency, throughput, memory, cost.

    ``texts`` are the candidate messages (the test split in the report), of which ``n_messages`` are served
    (``evaluation.serving_messages``).
    """
    import pandas as pd

    messages = Path(workdir) / "serving_messages.parquet"
    pd.DataFrame({"text": served_messages(texts, n_messages)}).to_parquet(messages, index=False)
    rows = {}
    try:
        for name, model_path in models.items():
            measured, _ = measure_cached(model_path, messages, cache)
            figures = {column: measured[column] for column in COLUMNS}
            figures["serving_cost_per_million_usd"] = cost_per_million(figures["throughput_per_s"], cpu_usd_per_hour)
            rows[name] = figures
    finally:
        messages.unlink(missing_ok=True)
    return pd.DataFrame(rows).T.rename_axis("family").reset_index()


def hourly_price(compute_csv: Path, key: str, override: float | None = None) -> tuple[float, str]:
    """The serving machine's USD per hour and where it comes from: the override (an assumption) or the
    sourced row ``key`` of compute.csv, with its citation."""
    if override is not None:
        return float(override), "assumption (evaluation.cpu_usd_per_hour)"
    from startup_report.market.facts import citation, fact, read_facts

    row = fact({"compute": read_facts(Path(compute_csv))}, "compute", key)
    return float(row["value"]), citation(row)


def cost_per_million(throughput_per_s: float, cpu_usd_per_hour: float) -> float:
    """USD to classify a million messages on a machine rented at ``cpu_usd_per_hour``, kept fully busy."""
    hours = 1e6 / throughput_per_s / 3600.0
    return hours * cpu_usd_per_hour


def main(model_path: str, messages_path: str, out_path: str) -> None:
    import pandas as pd

    from startup_report.modeling.persist import load_model

    model = load_model(Path(model_path))
    texts = pd.read_parquet(messages_path)["text"].tolist()
    figures = measure(model, texts)
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    Path(out_path).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:4])
