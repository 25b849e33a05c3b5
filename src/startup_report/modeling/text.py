"""Turn messages into padded integer token ids without TensorFlow.

``keras.layers.TextVectorization`` needs TensorFlow on every backend; scikit-learn's analyzer gives
the same lower-cased word tokens in a fraction of a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

PAD, OOV = "[PAD]", "[UNK]"
_ANALYZE = CountVectorizer(lowercase=True, token_pattern=r"(?u)\b\w+\b").build_analyzer()


def tokenize(text: str) -> list[str]:
    return _ANALYZE(text)


@dataclass(frozen=True)
class Vocabulary:
    """Index 0 pads, index 1 stands for any token not in the vocabulary."""

    tokens: tuple[str, ...]

    @classmethod
    def fit(cls, texts: Iterable[str], max_tokens: int) -> Vocabulary:
        counts = Counter(token for text in texts for token in tokenize(text))
        # Ties broken alphabetically so the same data always gives the same ids.
        ranked = sorted(counts, key=lambda token: (-counts[token], token))[: max_tokens - 2]
        return cls((PAD, OOV, *ranked))

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, texts: Sequence[str], length: int) -> np.ndarray:
        """Shape (len(texts), length), int32; long messages are truncated, short ones padded with 0."""
        index = {token: i for i, token in enumerate(self.tokens)}
        out = np.zeros((len(texts), length), dtype=np.int32)
        for row, text in enumerate(texts):
            ids = [index.get(token, 1) for token in tokenize(text)][:length]
            out[row, : len(ids)] = ids
        return out
