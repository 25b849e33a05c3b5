"""Open world: automation when messages of intents the model never saw are mixed into the traffic.

The protocol of the open intent classification literature (Shu et al. 2017; Lin & Xu 2019; Zhang et al.
2021): keep a share of the intents as known, drawn by seed, train on their messages only, and test on
every message, the held-out intents' messages forming one "open" class. A message is answered
automatically only when a rejection rule accepts it; the rule's threshold is chosen on the known-intent
validation split, which is all a company has before unknown traffic arrives. A dataset with a real
out-of-scope label uses that label as the open class instead of held-out intents.

Messages are frozen all-MiniLM-L6-v2 embeddings (read from the per-machine cache), the classifier is the
report's `minilm-logreg` family: no encoder run and no fine-tuning, so the experiment costs seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits  # a dependency of scikit-learn, pinned in requirements.lock

from startup_report.evaluation import metrics

OPEN = -1  # label id of the open class: no real label has a negative id
METHODS = ("max_probability", "centroid_distance")
#: Every rejection score, the two above plus two from the open-intent literature, cheap on frozen embeddings:
#: cosine similarity to the nearest known training message (the kNN score of Sun et al. 2022, k = 1) and the
#: similarity to the predicted intent's centre in standard deviations of that intent's own training messages
#: (a per-intent boundary, in the spirit of DOC's and ADB's per-class thresholds).
ALL_METHODS = (*METHODS, "knn_similarity", "class_boundary")
#: The literature's operating point: the threshold keeps this share of the known-intent validation messages
#: (chosen with known intents only, before any unknown traffic; 95 % is the usual TPR-95 convention).
OPEN_DETECTION_KEEP = 0.95


def choose_known(n_labels: int, share: float, seed: int) -> np.ndarray:
    """Ids of the known intents: ``round(share * n_labels)`` of them (at least 2, at most all but 1), by seed."""
    n_known = int(np.clip(round(share * n_labels), 2, n_labels - 1))
    return np.sort(np.random.default_rng(seed).choice(n_labels, n_known, replace=False))


def open_truth(y: np.ndarray, known: np.ndarray) -> np.ndarray:
    """True labels with every message of an unknown intent relabelled as the open class."""
    return np.where(np.isin(y, known), y, OPEN)


@dataclass(frozen=True)
class Scored:
    """One classifier's view of some messages: predicted known intent (original id) and each rule's score."""

    predicted: np.ndarray
    scores: dict[str, np.ndarray]


class KnownIntentModel:
    """Logistic regression on the known intents' embeddings, their class centres and training messages (for the
    distance, boundary and nearest-neighbour rules)."""

    def __init__(self, known: np.ndarray, c: float, seed: int) -> None:
        self.known = np.asarray(known)
        self.c, self.seed = c, seed

    def fit(self, x: np.ndarray, y: np.ndarray) -> KnownIntentModel:
        keep = np.isin(y, self.known)
        x, y = x[keep], y[keep]
        self.classifier = LogisticRegression(C=self.c, max_iter=2000, random_state=self.seed).fit(x, y)
        self.classes = self.classifier.classes_  # original label ids, sorted
        centres = np.stack([x[y == label].mean(axis=0) for label in self.classes])
        self.centres = centres / np.linalg.norm(centres, axis=1, keepdims=True)
        self.memory = x / np.linalg.norm(x, axis=1, keepdims=True)
        own = np.einsum("ij,ij->i", self.memory, self.centres[np.searchsorted(self.classes, y)])
        self.own_mean = np.array([own[y == label].mean() for label in self.classes])
        self.own_sd = np.array([max(own[y == label].std(), 1e-6) for label in self.classes])
        return self

    def score(self, x: np.ndarray) -> Scored:
        """Prediction in original label ids and every rule's score (higher: more like a known intent)."""
        probs = self.classifier.predict_proba(x)
        index = probs.argmax(axis=1)
        unit = x / np.linalg.norm(x, axis=1, keepdims=True)
        similarity = np.einsum("ij,ij->i", unit, self.centres[index])
        nearest = np.concatenate([(unit[i : i + 512] @ self.memory.T).max(axis=1) for i in range(0, len(unit), 512)])
        scores = {
            "max_probability": probs.max(axis=1),
            "centroid_distance": similarity,
            "knn_similarity": nearest,
            "class_boundary": (similarity - self.own_mean[index]) / self.own_sd[index],
        }
        return Scored(self.classes[index], scores)


def decide(predicted: np.ndarray, score: np.ndarray, threshold: float) -> np.ndarray:
    """Open-world prediction: the known intent when the score reaches the threshold, else the open class."""
    return np.where(score >= threshold, predicted, OPEN)


def automated_correct(y_true_open: np.ndarray, decided: np.ndarray) -> np.ndarray:
    """Answered automatically and right. A message of an unknown intent can never be: its truth is OPEN
    and an answered message carries a known intent."""
    return (decided != OPEN) & (decided == y_true_open)


def f1_per_class(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """F1 of each class in ``classes`` (0 where a class is neither true nor predicted)."""
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in classes], dtype=float)
    support = np.array([np.sum(y_true == c) for c in classes], dtype=float)
    predicted = np.array([np.sum(y_pred == c) for c in classes], dtype=float)
    denom = support + predicted
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def open_metrics(y_true_open: np.ndarray, decided: np.ndarray, known: np.ndarray) -> dict[str, float]:
    """The literature's figures (accuracy and macro-F1 over known + open, F1 of open, macro-F1 of known),
    the accuracy on known-intent messages (a rejection counts as wrong), and automation."""
    f1 = f1_per_class(y_true_open, decided, np.r_[np.asarray(known), OPEN])
    is_known = y_true_open != OPEN
    answered = decided != OPEN
    right = automated_correct(y_true_open, decided)
    return {
        "accuracy": float(np.mean(decided == y_true_open)),
        "macro_f1": float(f1.mean()),
        "known_accuracy": float(np.mean(decided[is_known] == y_true_open[is_known])) if is_known.any() else 0.0,
        "known_macro_f1": float(f1[:-1].mean()),
        "open_f1": float(f1[-1]),
        "automation_rate": float(answered.mean()),
        "automation_precision": float(right[answered].mean()) if answered.any() else 1.0,
        "unknown_automated": float(answered[~is_known].mean()) if (~is_known).any() else 0.0,
    }


def tradeoff_curve(
    y_true_open: np.ndarray, predicted: np.ndarray, score: np.ndarray, known: np.ndarray, points: int = 40
) -> dict[str, np.ndarray]:
    """Known-intent accuracy and open-class F1 as the rejection threshold sweeps the scores' quantiles."""
    thresholds = np.unique(np.quantile(score, np.linspace(0.0, 0.98, points)))
    rows = [open_metrics(y_true_open, decide(predicted, score, t), known) for t in thresholds]
    return {
        "threshold": thresholds,
        "known_accuracy": np.array([r["known_accuracy"] for r in rows]),
        "open_f1": np.array([r["open_f1"] for r in rows]),
    }


@dataclass(frozen=True)
class Outcome:
    """One split (known share, seed) and one rejection rule, measured on the test set."""

    figures: dict[str, float]
    decided: np.ndarray  # open-world predictions of the test messages (OPEN = rejected)
    predicted: np.ndarray  # the classifier's known intent before rejection
    score: np.ndarray
    y_true_open: np.ndarray
    curve: dict[str, np.ndarray]


def evaluate_split(
    x: dict[str, np.ndarray],
    y: dict[str, np.ndarray],
    known: np.ndarray,
    target_precision: float,
    c: float,
    seed: int,
    methods: tuple[str, ...] = METHODS,
) -> dict[str, Outcome]:
    """Train on the known intents of ``x["train"]``, choose each rule's threshold on the known-intent
    validation messages for the target precision, and measure on every test message."""
    # One BLAS thread: on a small 384-d problem more threads only spin (16x slower on a shared 2-core CPU).
    with threadpool_limits(1):
        model = KnownIntentModel(known, c, seed).fit(x["train"], y["train"])
        val_known = np.isin(y["validation"], known)
        val = model.score(x["validation"][val_known])
        test = model.score(x["test"])
    val_correct = val.predicted == y["validation"][val_known]
    truth = open_truth(y["test"], known)
    is_known = truth != OPEN
    out = {}
    for method in methods:
        threshold = metrics.threshold_for_precision(val.scores[method], val_correct, target_precision)
        decided = decide(test.predicted, test.scores[method], threshold)
        figures = open_metrics(truth, decided, known)
        closed = open_metrics(truth[is_known], decided[is_known], known)
        figures |= {
            "threshold": threshold,
            "closed_automation_rate": closed["automation_rate"],
            "closed_automation_precision": closed["automation_precision"],
            "closed_accuracy": float(np.mean(test.predicted[is_known] == truth[is_known])),
        }
        figures |= open_detection(truth, test.predicted, test.scores[method], val.scores[method], known)
        curve = tradeoff_curve(truth, test.predicted, test.scores[method], known)
        out[method] = Outcome(figures, decided, test.predicted, test.scores[method], truth, curve)
    return out


def open_detection(
    truth: np.ndarray, predicted: np.ndarray, score: np.ndarray, val_score: np.ndarray, known: np.ndarray,
    keep: float = OPEN_DETECTION_KEEP,
) -> dict[str, float]:
    """The literature's figures at its own kind of operating point: the threshold that keeps ``keep`` of the
    known-intent validation messages (no unknown message is seen to choose it), prefixed ``od_``."""
    threshold = float(np.quantile(val_score, 1.0 - keep))
    figures = open_metrics(truth, decide(predicted, score, threshold), known)
    return {
        "od_threshold": threshold,
        **{f"od_{name}": figures[name] for name in ("accuracy", "macro_f1", "open_f1", "known_macro_f1")},
    }


def precision_curves(outcome: Outcome, points: int = 101) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Precision of the automatic answers against the share answered, known-intent traffic (closed world)
    and every message (open world), most confident first."""
    is_known = outcome.y_true_open != OPEN
    correct = outcome.predicted == outcome.y_true_open
    return {
        "closed world": metrics.risk_coverage_curve(outcome.score[is_known], correct[is_known], points),
        "open world": metrics.risk_coverage_curve(outcome.score, correct, points),
    }
