"""The privacy formulas worked step by step (FedAvg with its n_k/n weights, the Gaussian mechanism, a DP-SGD
step) and the corrected values of common mistakes in popular write-ups."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from startup_report.report.worked import _arr, _phi, adam_step, binary_log_loss, cross_entropy, softmax


class FedAvgSteps(NamedTuple):
    shares: np.ndarray  # n_k / n
    value: np.ndarray  # sum_k n_k / n * w_k
    unweighted: np.ndarray  # the plain mean, for contrast (not FedAvg)


def fedavg(weights: np.ndarray | list, sizes: np.ndarray | list) -> FedAvgSteps:
    """FedAvg's aggregation (McMahan et al., 2017): each client's weights count by its share of the data."""
    w, n = _arr(weights), _arr(sizes)
    shares = n / n.sum()
    return FedAvgSteps(shares, shares @ w, w.mean(axis=0))


def gaussian_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    """Noise scale of the classical Gaussian mechanism (Dwork and Roth, 2014, Theorem A.1).

    sigma = Delta_2 * sqrt(2 ln(1.25 / delta)) / epsilon gives (epsilon, delta)-DP for epsilon < 1.
    """
    if not 0 < epsilon < 1:
        raise ValueError("the classical bound holds for 0 < epsilon < 1")
    return float(sensitivity * np.sqrt(2 * np.log(1.25 / delta)) / epsilon)


def gaussian_delta(sigma: float, sensitivity: float, epsilon: float) -> float:
    """The exact delta of the Gaussian mechanism at ``epsilon`` (Balle and Wang, 2018, Theorem 8).

    delta = Phi(D / 2s - e s / D) - e^e Phi(-D / 2s - e s / D): the smallest delta for which adding
    N(0, s^2) noise to a query of sensitivity D is (e, delta)-DP. The classical sigma is conservative.
    """
    a, b = sensitivity / (2 * sigma), epsilon * sigma / sensitivity
    return float(_phi(np.array(a - b)) - np.exp(epsilon) * _phi(np.array(-a - b)))


def privacy_loss(output: float, sigma: float, sensitivity: float = 1.0) -> float:
    """ln p(output | D) / p(output | D') for Gaussian noise, true answers Delta (D) and 0 (D').

    It grows without bound in ``output``: no epsilon covers every output, which is why the Gaussian
    mechanism needs the delta of (epsilon, delta)-DP.
    """
    return float((2 * output * sensitivity - sensitivity**2) / (2 * sigma**2))


class DPSGDSteps(NamedTuple):
    norms: np.ndarray  # per-example gradient norms
    clipped: np.ndarray  # each g_i * min(1, C / ||g_i||)
    total: np.ndarray  # sum of clipped gradients
    noisy: np.ndarray  # total + sigma * C * xi
    gradient: np.ndarray  # noisy / batch size
    w: np.ndarray


def dp_sgd_step(
    w: np.ndarray | list, grads: np.ndarray | list, clip: float, sigma: float, xi: np.ndarray | list, lr: float
) -> DPSGDSteps:
    """One DP-SGD step (Abadi et al., 2016) with a given standard-normal draw ``xi`` for the noise.

    Clipping bounds what any one example can change (the sensitivity C); the noise sigma * C hides it.
    """
    g = _arr(grads)
    norms = np.linalg.norm(g, axis=1)
    clipped = g * np.minimum(1.0, clip / norms)[:, None]
    total = clipped.sum(axis=0)
    noisy = total + sigma * clip * _arr(xi)
    gradient = noisy / len(g)
    return DPSGDSteps(norms, clipped, total, noisy, gradient, _arr(w) - lr * gradient)


def common_mistakes() -> dict[str, float]:
    """The corrected and the mistaken values of formulas as popular write-ups get them wrong.

    Inputs are this chapter's worked examples, so each pair can be read beside its section.
    """
    probs = softmax([2.0, 1.0, 0.1]).probs
    onehot = np.array([1.0, 0.0, 0.0])
    clipped = np.clip(onehot, 1e-7, 1.0)  # what a framework's clipping makes of log(0)
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.4])
    fed = fedavg([[0.5, 1.0], [1.5, -1.0], [4.0, 3.0]], [1000, 100, 10])
    adam = adam_step([1.0, -2.0], [0.2, -0.4], [0.0, 0.0], [0.0, 0.0], 1, lr=0.1)
    sigma = gaussian_sigma(1.0, 0.5, 1e-5)
    with np.errstate(divide="ignore", invalid="ignore"):
        swapped = float(-(probs * np.log(onehot)).sum())
    return {
        "ce_correct": cross_entropy(probs, 0).loss,
        "ce_swapped": swapped,  # -sum p_hat log y: log 0 makes it infinite
        "ce_swapped_clipped": float(-(probs * np.log(clipped)).sum()),
        "bce_correct": binary_log_loss(y, p).value,
        "bce_no_negative_term": float(-(y * np.log(p)).mean()),
        "fedavg_correct": float(fed.value[0]),
        "fedavg_unweighted": float(fed.unweighted[0]),
        "adam_correct": float(adam.update[0]),
        "adam_no_sqrt": float(adam.alpha * adam.m[0] / (adam.v[0] + 1e-7)),
        "dp_ratio_correct": float(np.exp(0.5)),  # allowed probability ratio at epsilon = 0.5
        "dp_ratio_wrong": 0.5,  # "P <= epsilon P'": at epsilon < 1 not even D = D' satisfies it
        "dp_loss_at_50": privacy_loss(50.0, sigma),  # above epsilon = 0.5: such outputs are what delta covers
    }
