"""Explanations a support lead can read: similar past messages, and the words that moved the prediction.

Two views of one message. *Nearest training messages*: the labelled messages most similar to it (cosine
similarity of the frozen sentence embeddings) among the predicted intent and among the runner-up, so a
reader sees which examples the two intents look like. *Occlusion*: remove one word at a time and re-run
the production model; the drop in the predicted intent's probability says how much that word pushed
toward it. Occlusion needs nothing but ``predict_proba``, so it explains any model family the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PredictProba = Callable[[Sequence[str]], np.ndarray]


def confident_mistakes(predictions: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` wrong predictions with the highest confidence (evaluation's ``predictions.parquet``)."""
    wrong = predictions[predictions["label"] != predictions["predicted"]]
    return wrong.sort_values("confidence", ascending=False, kind="stable").head(n).reset_index(drop=True)


def nearest(
    query: np.ndarray, x_train: np.ndarray, y_train: np.ndarray, texts: Sequence[str], intent: int, k: int
) -> pd.DataFrame:
    """The ``k`` training messages of ``intent`` most similar to ``query`` (rows are unit vectors: dot = cosine)."""
    members = np.flatnonzero(np.asarray(y_train) == intent)
    similarity = x_train[members] @ np.asarray(query, dtype=x_train.dtype)
    order = np.argsort(-similarity, kind="stable")[:k]
    return pd.DataFrame({"text": [texts[i] for i in members[order]], "similarity": similarity[order].astype(float)})


def occlusion(predict_proba: PredictProba, text: str, classes: Sequence[int]) -> pd.DataFrame:
    """Per word: the probability of each class in ``classes`` with that word removed, and the change.

    One call scores the message and all its one-word-removed variants together. ``change_<c>`` is the
    full message's probability minus the occluded one: positive means the word pushed toward class c.
    """
    words = text.split()
    variants = [text] + [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))]
    probs = np.asarray(predict_proba(variants), dtype=float)
    frame = pd.DataFrame({"position": np.arange(len(words)), "word": words})
    for c in classes:
        frame[f"p_{c}"] = probs[1:, c]
        frame[f"change_{c}"] = probs[0, c] - probs[1:, c]
    return frame


@dataclass(frozen=True)
class Explanation:
    text: str
    true_intent: str
    predicted: str
    runner_up: str
    p_predicted: float
    p_runner_up: float
    neighbours: pd.DataFrame  # intent, role (predicted / runner-up), text, similarity
    words: pd.DataFrame  # position, word, change_predicted, change_true

    def as_row(self) -> dict[str, object]:
        top = self.words.sort_values("change_predicted", ascending=False).iloc[0]
        return {"message": self.text, "true intent": self.true_intent, "predicted": self.predicted,
                "p(predicted)": self.p_predicted, "runner-up": self.runner_up, "p(runner-up)": self.p_runner_up,
                "word that pushed most": top["word"], "its push": float(top["change_predicted"])}  # fmt: skip


def explain(
    predict_proba: PredictProba,
    query: np.ndarray,
    text: str,
    true_intent: str,
    labels: Sequence[str],
    x_train: np.ndarray,
    y_train: np.ndarray,
    train_texts: Sequence[str],
    k: int = 3,
) -> Explanation:
    """Both views for one message: its neighbours in the top two intents and its words' occlusion effects."""
    probs = np.asarray(predict_proba([text]), dtype=float)[0]
    first, second = (int(i) for i in np.argsort(-probs, kind="stable")[:2])
    true = list(labels).index(true_intent)
    frames = []
    for role, intent in (("predicted", first), ("runner-up", second)):
        found = nearest(query, x_train, y_train, train_texts, intent, k)
        frames.append(found.assign(intent=labels[intent], role=role))
    occluded = occlusion(predict_proba, text, sorted({first, true}))
    words = occluded.assign(change_predicted=occluded[f"change_{first}"], change_true=occluded[f"change_{true}"])
    return Explanation(
        text, true_intent, labels[first], labels[second], float(probs[first]), float(probs[second]),
        pd.concat(frames, ignore_index=True)[["role", "intent", "text", "similarity"]],
        words[["position", "word", "change_predicted", "change_true"]],
    )  # fmt: skip


def neighbours_table(explained: Sequence) -> pd.DataFrame:
    """Every explained message's nearest training messages in one table (empty when nothing was explained)."""
    if not explained:
        return pd.DataFrame(columns=["message", "rank"]).set_index(["message", "rank"])
    return pd.concat({item.text: item.neighbours for item in explained}, names=["message", "rank"])
