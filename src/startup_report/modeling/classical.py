"""Classical baseline: TF-IDF over word and character n-grams, then multinomial logistic regression.

No pretraining and no GPU: the bar any neural route must clear to justify its cost.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline


class TfidfLogReg:
    """Word 1-2-grams + character 2-5-grams (within word boundaries), L2 logistic regression."""

    family = "classical"
    name = "tfidf-logreg"

    def __init__(self, n_classes: int, c: float = 10.0, max_iter: int = 1000) -> None:
        self.n_classes = n_classes
        self.c = c
        self.max_iter = max_iter
        self.pipeline = None

    def fit(
        self, texts: Sequence[str], labels: np.ndarray, val_texts: Sequence[str], val_labels: np.ndarray, seed: int
    ) -> None:
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
            ]
        )
        classifier = LogisticRegression(C=self.c, max_iter=self.max_iter, random_state=seed)
        self.pipeline = make_pipeline(features, classifier).fit(list(texts), labels)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        probs = self.pipeline.predict_proba(list(texts))
        # Classes absent from a small budget get probability 0, keeping columns aligned with label ids.
        full = np.zeros((len(probs), self.n_classes), dtype=np.float64)
        full[:, self.pipeline.classes_] = probs
        return full

    def n_parameters(self) -> int:
        clf = self.pipeline[-1]
        return int(clf.coef_.size + clf.intercept_.size)

    def size_bytes(self) -> int:
        return len(pickle.dumps(self.pipeline))

    def flops_per_message(self) -> float:
        # Sparse dot products: ~2 FLOPs per non-zero feature per class; ~150 non-zero n-grams per message.
        return 2.0 * 150 * self.n_classes
