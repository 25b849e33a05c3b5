"""What it costs to send the same messages to an LLM API instead: tokens measured, prices sourced.

Token counts come from a real tokenizer (OpenAI's o200k_base BPE, shipped inside the `bpe-openai`
package, so nothing is downloaded). A classification prompt must list every intent, so the prompt,
not the message, dominates the input tokens.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

ENCODING = "o200k_base"
PROMPT = (
    "You route online-banking customer messages. Reply with exactly one intent name from this list, "
    "nothing else.\nIntents: {intents}\nMessage: {message}\nIntent:"
)


@cache
def _encoding():
    import bpe_openai

    return bpe_openai.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text))


def token_profile(texts: Sequence[str], labels: Sequence[str], store: Path | None = None) -> dict[str, float]:
    """Mean input tokens (prompt with the intent list + message) and output tokens (the intent name).

    Counted once per machine and stored (``store``, default the machine cache) by the texts, the intents,
    the prompt, the tokenizer's version and this module: loading the tokenizer's 200k merges takes 2 s, and
    every evaluation rerun (another target precision) counts the same test messages again.
    """
    from importlib.metadata import version

    from startup_report.engine.files import remembered
    from startup_report.engine.layout import machine_cache

    parts = {
        "texts": hashlib.sha256("\0".join(texts).encode()).hexdigest(),
        "labels": list(labels),
        "prompt": PROMPT,
        "encoding": ENCODING,
        "tokenizer": version("bpe-openai"),
        "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    }
    return remembered(store or machine_cache() / "tokens", parts, lambda: _count(texts, labels))


def _count(texts: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    intents = ", ".join(labels)
    message = np.array([count_tokens(t) for t in texts])
    prompt = count_tokens(PROMPT.format(intents=intents, message=""))
    output = np.array([count_tokens(label) for label in labels])
    return {
        "encoding": ENCODING,
        "message_tokens_mean": float(message.mean()),
        "message_tokens_p95": float(np.percentile(message, 95)),
        "prompt_tokens": float(prompt),
        "input_tokens_mean": float(prompt + message.mean()),
        "output_tokens_mean": float(output.mean()),
    }


def api_costs(prices: pd.DataFrame, profile: dict[str, float], models: Sequence[str] | None = None) -> pd.DataFrame:
    """USD per million messages per API model, from input/output list prices per million tokens."""
    wide = prices.pivot_table(index=["vendor", "model"], columns="direction", values="value", aggfunc="first")
    dates = prices.groupby(["vendor", "model"])["published"].max()
    wide = wide.dropna(subset=["input", "output"]).join(dates).reset_index()
    if models:
        wide = wide[wide["model"].isin(models)]
    wide["usd_per_million_messages"] = (
        wide["input"] * profile["input_tokens_mean"] + wide["output"] * profile["output_tokens_mean"]
    )
    return (
        wide.rename(columns={"input": "input_usd_per_mtok", "output": "output_usd_per_mtok"})
        .sort_values("usd_per_million_messages")
        .reset_index(drop=True)
    )
