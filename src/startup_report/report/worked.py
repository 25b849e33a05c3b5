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


# ---------------------------------------------------------------- binary log loss, activations, backpropagation


class BinaryLogLossSteps(NamedTuple):
    terms: np.ndarray  # -[y ln p + (1 - y) ln(1 - p)] per example
    value: float  # their mean


def binary_log_loss(y_true: np.ndarray | list, p: np.ndarray | list) -> BinaryLogLossSteps:
    """Binary cross-entropy (log loss) of predicted probabilities ``p`` of the positive class.

    Both terms are needed: ``y ln p`` scores the positives and ``(1 - y) ln(1 - p)`` the negatives; without
    the second, a model that says p = 1 for everything would have zero loss.
    """
    y, p = _arr(y_true), _arr(p)
    terms = -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return BinaryLogLossSteps(terms, float(terms.mean()))


class Activation(NamedTuple):
    value: np.ndarray
    derivative: np.ndarray


def _phi(z: np.ndarray) -> np.ndarray:
    """Standard normal cumulative distribution, via erfc (exact in the tails)."""
    from scipy.special import ndtr

    return ndtr(z)


def activations(z: np.ndarray | list) -> dict[str, Activation]:
    """Sigmoid, tanh, ReLU and GELU with their derivatives, which backpropagation multiplies by.

    sigmoid' = s (1 - s) is at most 1/4, which is why deep sigmoid stacks learn slowly; ReLU's derivative
    is 1 or 0 (taken as 0 at z = 0, as the frameworks do); GELU = z Phi(z) has derivative Phi(z) + z phi(z).
    """
    z = _arr(z)
    s = 1.0 / (1.0 + np.exp(-z))
    t = np.tanh(z)
    density = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    return {
        "sigmoid": Activation(s, s * (1 - s)),
        "tanh": Activation(t, 1 - t**2),
        "relu": Activation(np.maximum(z, 0.0), (z > 0).astype(float)),
        "gelu": Activation(z * _phi(z), _phi(z) + z * density),
    }


class BackpropSteps(NamedTuple):
    h_pre: np.ndarray  # W1 x + b1
    h: np.ndarray  # relu(h_pre)
    z: float  # w2 . h + b2
    p: float  # sigmoid(z)
    loss: float  # binary log loss
    d_z: float  # dL/dz = p - y
    d_w2: np.ndarray
    d_b2: float
    d_h: np.ndarray  # w2 * d_z
    d_h_pre: np.ndarray  # d_h * relu'(h_pre)
    d_w1: np.ndarray  # outer(d_h_pre, x)
    d_b1: np.ndarray


def backprop(
    x: np.ndarray | list, y: float, w1: np.ndarray | list, b1: np.ndarray | list, w2: np.ndarray | list, b2: float
) -> BackpropSteps:
    """One example through a 2-layer network (ReLU hidden layer, sigmoid output, log loss), forward and back.

    The chain rule from the loss backwards: for a sigmoid output with log loss dL/dz collapses to p - y;
    each layer's weight gradient is the outer product of the error arriving at it and the input it saw.
    """
    x, w1, b1, w2 = _arr(x), _arr(w1), _arr(b1), _arr(w2)
    h_pre = w1 @ x + b1
    h = np.maximum(h_pre, 0.0)
    z = float(w2 @ h + b2)
    p = 1.0 / (1.0 + np.exp(-z))
    loss = binary_log_loss([y], [p]).value
    d_z = p - y
    d_h = w2 * d_z
    d_h_pre = d_h * (h_pre > 0)
    return BackpropSteps(h_pre, h, z, p, loss, d_z, d_z * h, d_z, d_h, d_h_pre, np.outer(d_h_pre, x), d_h_pre)


# ---------------------------------------------------------------- federated averaging and differential privacy
