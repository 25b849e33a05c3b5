"""The report's formulas as small numpy functions that also return their intermediate arithmetic.

The essays this report replaces printed worked examples with arithmetic mistakes. Here each formula is
computed once, in code, and returns every step the math chapter prints, so the page cannot show a number
the code did not produce; tests check the same numbers against independent numpy code and Keras.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class MSESteps(NamedTuple):
    errors: np.ndarray  # y_pred - y_true
    squared: np.ndarray
    value: float


class SoftmaxSteps(NamedTuple):
    shifted: np.ndarray  # z - max(z): the largest entry becomes 0
    exp: np.ndarray
    total: np.ndarray  # sum of exp along the last axis
    probs: np.ndarray


class CrossEntropySteps(NamedTuple):
    p_true: float  # probability given to the true class
    loss: float


class LogitCrossEntropySteps(NamedTuple):
    log_sum_exp: float
    logit_true: float
    loss: float  # log_sum_exp - logit_true


class MomentumSteps(NamedTuple):
    velocity: np.ndarray
    w: np.ndarray


class AdamSteps(NamedTuple):
    m: np.ndarray  # first moment (biased)
    v: np.ndarray  # second moment (biased)
    alpha: float  # bias-corrected step size lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    m_hat: np.ndarray  # textbook bias-corrected moments, returned only to show the equivalence
    v_hat: np.ndarray
    update: np.ndarray  # the amount subtracted from w
    w: np.ndarray


class RegressionStep(NamedTuple):
    step: int
    w: np.ndarray
    residual: np.ndarray  # x @ w - y
    loss: float
    grad: np.ndarray


def _arr(x: np.ndarray | list | float) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def mse(y_true: np.ndarray | list, y_pred: np.ndarray | list) -> MSESteps:
    """Mean squared error: squaring makes errors of either sign count and punishes large ones most."""
    errors = _arr(y_pred) - _arr(y_true)
    squared = errors**2
    return MSESteps(errors, squared, float(squared.mean()))


def softmax(z: np.ndarray | list) -> SoftmaxSteps:
    """Softmax along the last axis.

    Subtracting the maximum first changes nothing mathematically (it cancels in the ratio) but keeps
    ``exp`` from overflowing for large scores, which is how every framework computes it.
    """
    z = _arr(z)
    shifted = z - z.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=-1, keepdims=True)
    return SoftmaxSteps(shifted, exp, total, exp / total)


def cross_entropy(probs: np.ndarray | list, label: int) -> CrossEntropySteps:
    """Cross-entropy of one example from probabilities: minus the log-probability of the true class.

    Only the true class's probability enters, so the loss is 0 for a certain correct answer and grows
    without bound as that probability goes to 0.
    """
    p_true = float(_arr(probs)[label])
    return CrossEntropySteps(p_true, float(-np.log(p_true)))


def cross_entropy_from_logits(logits: np.ndarray | list, label: int) -> LogitCrossEntropySteps:
    """Categorical cross-entropy from raw scores: ``logsumexp(z) - z[label]``.

    Equal to ``cross_entropy(softmax(z), label)`` but never takes the log of a rounded-to-zero
    probability, which is why Keras losses accept ``from_logits=True``.
    """
    z = _arr(logits)
    top = z.max()
    log_sum_exp = float(top + np.log(np.exp(z - top).sum()))
    return LogitCrossEntropySteps(log_sum_exp, float(z[label]), log_sum_exp - float(z[label]))


def gradient_descent_step(w: np.ndarray | list, grad: np.ndarray | list, lr: float) -> np.ndarray:
    """Plain gradient descent: move against the gradient, ``w - lr * grad``."""
    return _arr(w) - lr * _arr(grad)


def sgd_momentum_step(
    w: np.ndarray | list, grad: np.ndarray | list, velocity: np.ndarray | list, lr: float, momentum: float
) -> MomentumSteps:
    """SGD with momentum in Keras's convention (``keras.optimizers.SGD``, ``nesterov=False``).

    ``velocity = momentum * velocity - lr * grad`` then ``w = w + velocity``: the velocity already carries
    the learning rate and the minus sign, unlike the PyTorch convention (``b = momentum * b + grad``,
    ``w -= lr * b``), which gives the same path only while lr is constant.
    """
    velocity = momentum * _arr(velocity) - lr * _arr(grad)
    return MomentumSteps(velocity, _arr(w) + velocity)


def adam_step(
    w: np.ndarray | list,
    grad: np.ndarray | list,
    m: np.ndarray | list,
    v: np.ndarray | list,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-7,
) -> AdamSteps:
    """One Adam step exactly as ``keras.optimizers.Adam`` computes it (``t`` counts from 1).

    Keras folds both bias corrections into the step size, ``alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)``,
    and adds ``eps`` to the *uncorrected* ``sqrt(v)`` ("epsilon hat" in Kingma and Ba). That equals the
    textbook ``lr * m_hat / (sqrt(v_hat) + eps')`` with ``eps' = eps / sqrt(1 - beta2^t)``, not with ``eps``.
    """
    if t < 1:
        raise ValueError("t counts steps from 1")
    g = _arr(grad)
    m = beta1 * _arr(m) + (1 - beta1) * g
    v = beta2 * _arr(v) + (1 - beta2) * g**2
    alpha = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    update = alpha * m / (np.sqrt(v) + eps)
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return AdamSteps(m, v, float(alpha), m_hat, v_hat, update, _arr(w) - update)


def linear_regression_gd(
    x: np.ndarray | list, y: np.ndarray | list, w0: np.ndarray | list, lr: float, steps: int
) -> list[RegressionStep]:
    """Fit ``y ~ x @ w`` by gradient descent on the MSE; returns w, residual, loss and gradient per step.

    The gradient of the mean squared error is ``2/n * x.T @ (x @ w - y)``; the last entry is the state
    after the final step (its ``grad`` is the one the next step would use).
    """
    x, y, w = _arr(x), _arr(y), _arr(w0)
    history = []
    for step in range(steps + 1):
        residual = x @ w - y
        grad = 2.0 / len(y) * x.T @ residual
        history.append(RegressionStep(step, w, residual, float(np.mean(residual**2)), grad))
        w = gradient_descent_step(w, grad, lr)
    return history


def attention_scores(q: np.ndarray | list, k: np.ndarray | list, mask: np.ndarray | None = None) -> np.ndarray:
    """Scaled scores ``q @ k.T / sqrt(d_k)``; masked-out pairs (mask False) become -inf.

    Dividing by ``sqrt(d_k)`` keeps the scores' spread independent of the key width, so the softmax does
    not saturate as d_k grows.
    """
    q, k = _arr(q), _arr(k)
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(k.shape[-1])
    if mask is None:
        return scores
    mask = np.asarray(mask, dtype=bool)
    if not mask.any(axis=-1).all():
        raise ValueError("every query needs at least one visible key")
    return np.where(mask, scores, -np.inf)


def scaled_dot_product_attention(
    q: np.ndarray | list, k: np.ndarray | list, v: np.ndarray | list, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``softmax(q @ k.T / sqrt(d_k)) @ v``: each token's output is a weighted average of the values.

    Returns ``(output, weights)``; row i of ``weights`` says how much query token i draws on each key
    token and sums to 1. ``mask`` (True = may attend) follows Keras's ``attention_mask`` convention.
    """
    weights = softmax(attention_scores(q, k, mask)).probs
    return weights @ _arr(v), weights
