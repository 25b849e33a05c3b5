"""The math chapter's formulas, checked three ways: hand-worked numbers, numpy/scipy code written differently,
and Keras (the library our models train with). The last tests run the chapter's own code cells and check the
numbers it glues into the page, so a change to an example's inputs or arithmetic fails here.
"""

import json
import math
import os
import re
import sys
import types
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import matplotlib  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from scipy.special import log_softmax, logsumexp  # noqa: E402
from scipy.stats import norm  # noqa: E402

matplotlib.use("Agg")  # in this process only: an MPLBACKEND variable would leak into the chain's kernels
from scipy.special import softmax as scipy_softmax  # noqa: E402

from startup_report.report import worked, worked_privacy  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[1] / "book" / "math.ipynb"

# The chapter's inputs (book/math.ipynb uses the same literals).
MINUTES_TRUE, MINUTES_PRED = [4.0, 7.0, 3.0, 10.0], [5.0, 6.0, 3.0, 12.0]
LOGITS = np.array([2.0, 1.0, 0.1])
X, Y = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), np.array([2.0, 3.0, 4.0])
W_START, GRADS = np.array([1.0, -2.0]), [np.array([0.2, -0.4]), np.array([0.1, -0.3])]
Q = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 2.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
K = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
V = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 0.0, 2.0], [1.0, 1.0, 1.0, 1.0]])
KERAS_TOL = {"rtol": 1e-5, "atol": 1e-6}  # Keras computes in float32


def _run_momentum(lr=0.1, momentum=0.9):
    w, velocity, out = W_START, np.zeros(2), []
    for g in GRADS:
        step = worked.sgd_momentum_step(w, g, velocity, lr, momentum)
        w, velocity = step.w, step.velocity
        out.append((velocity, w))
    return out


def _run_adam(grads=GRADS, **kw):
    w, m, v, out = W_START, np.zeros(2), np.zeros(2), []
    for t, g in enumerate(grads, start=1):
        step = worked.adam_step(w, g, m, v, t, **kw)
        w, m, v = step.w, step.m, step.v
        out.append(step)
    return out


# ---------------------------------------------------------------- MSE


def test_mse_by_hand_numpy_and_keras():
    steps = worked.mse(MINUTES_TRUE, MINUTES_PRED)
    assert steps.squared.tolist() == [1.0, 1.0, 0.0, 4.0]
    assert steps.squared.sum() == 6.0 and steps.value == 1.5
    diff = np.subtract(MINUTES_TRUE, MINUTES_PRED)
    assert steps.value == pytest.approx(diff @ diff / diff.size)
    assert float(keras.losses.MeanSquaredError()(np.array(MINUTES_TRUE), np.array(MINUTES_PRED))) == pytest.approx(1.5)


# ---------------------------------------------------------------- softmax and cross-entropy


def test_softmax_by_hand():
    steps = worked.softmax(LOGITS)
    assert steps.shifted.tolist() == pytest.approx([0.0, -1.0, -1.9])
    total = 1 + math.exp(-1) + math.exp(-1.9)
    assert total == pytest.approx(1.5174481, abs=1e-7)
    assert steps.total.item() == pytest.approx(total)
    assert steps.probs.tolist() == pytest.approx([0.6590011, 0.2424330, 0.0985659], abs=1e-7)
    assert steps.probs[0] / steps.probs[1] == pytest.approx(math.e)


@pytest.mark.parametrize("z", [LOGITS, np.array([[1000.0, 999.0, -50.0], [0.0, 0.0, 0.0]]), np.arange(77) / 7.0])
def test_softmax_against_scipy_and_keras(z):
    probs = worked.softmax(z).probs
    assert np.all(np.isfinite(probs)) and np.allclose(probs.sum(axis=-1), 1.0)
    np.testing.assert_allclose(probs, scipy_softmax(z, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(probs, keras.ops.convert_to_numpy(keras.ops.softmax(z, axis=-1)), **KERAS_TOL)


def test_cross_entropy_by_hand_and_against_references():
    probs = worked.softmax(LOGITS).probs
    ce = worked.cross_entropy(probs, 0)
    from_logits = worked.cross_entropy_from_logits(LOGITS, 0)
    assert ce.p_true == pytest.approx(0.6590011, abs=1e-7)
    assert ce.loss == pytest.approx(0.4170300, abs=1e-7)
    assert from_logits.log_sum_exp == pytest.approx(2.4170300, abs=1e-7)
    assert from_logits.loss == pytest.approx(ce.loss, rel=1e-12)
    for label in range(3):
        assert worked.cross_entropy(probs, label).loss == pytest.approx(-log_softmax(LOGITS)[label], rel=1e-12)
        assert worked.cross_entropy_from_logits(LOGITS, label).loss == pytest.approx(
            logsumexp(LOGITS) - LOGITS[label], rel=1e-12
        )
    assert worked.cross_entropy(probs, 2).loss == pytest.approx(2.3170300, abs=1e-7)
    # Huge logits: the from-logits form stays finite where exp() would overflow.
    assert worked.cross_entropy_from_logits([1000.0, 0.0], 1).loss == pytest.approx(1000.0)


def test_cross_entropy_against_keras():
    logits = np.array([LOGITS, [0.5, -1.0, 3.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2, 1])
    probs = worked.softmax(logits).probs
    ours = np.mean([worked.cross_entropy(p, y).loss for p, y in zip(probs, labels, strict=True)])
    ours_logits = np.mean([worked.cross_entropy_from_logits(z, y).loss for z, y in zip(logits, labels, strict=True)])
    keras_probs = float(keras.losses.SparseCategoricalCrossentropy()(labels, probs))
    keras_logits = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits))
    assert ours == pytest.approx(keras_probs, rel=1e-5)
    assert ours_logits == pytest.approx(keras_logits, rel=1e-5)
    assert float(keras.losses.SparseCategoricalCrossentropy()(np.array([0]), probs[:1])) == pytest.approx(
        0.4170300, abs=1e-6
    )


# ---------------------------------------------------------------- gradient descent


def test_gradient_descent_step():
    np.testing.assert_allclose(worked.gradient_descent_step([1.0, -2.0], [0.2, -0.4], 0.1), [0.98, -1.96])


def test_linear_regression_by_hand_and_closed_form():
    history = worked.linear_regression_gd(X, Y, [0.0, 0.0], lr=0.1, steps=5)
    first = history[0]
    assert first.residual.tolist() == [-2.0, -3.0, -4.0]
    assert first.loss == pytest.approx(29 / 3)
    assert first.grad.tolist() == pytest.approx([-6.0, -40 / 3])
    assert history[1].w.tolist() == pytest.approx([0.6, 4 / 3])
    # at w = (0.6, 4/3) the residuals are (-1/15, 4/15, 9/15): MSE = (1 + 16 + 81) / 225 / 3
    assert history[1].loss == pytest.approx(98 / 675)
    # Gradient descent on a quadratic is linear: w_t = w* + (I - lr H)^t (w_0 - w*), H = 2/n X'X, w* = (1, 1).
    hessian, w_star = 2 / 3 * X.T @ X, np.array([1.0, 1.0])
    for h in history:
        expected = w_star + np.linalg.matrix_power(np.eye(2) - 0.1 * hessian, h.step) @ (np.zeros(2) - w_star)
        np.testing.assert_allclose(h.w, expected, rtol=1e-12)
        np.testing.assert_allclose(h.grad, hessian @ (h.w - w_star), atol=1e-12)
        assert h.loss == pytest.approx(np.mean((X @ expected - Y) ** 2), rel=1e-12)
    assert round(history[-1].loss, 4) == 0.0248
    assert np.round(history[-1].w, 4).tolist() == [0.5845, 1.1828]


# ---------------------------------------------------------------- SGD with momentum


def test_momentum_by_hand_and_pytorch_convention():
    (v1, w1), (v2, w2) = _run_momentum()
    np.testing.assert_allclose(v1, [-0.02, 0.04])
    np.testing.assert_allclose(w1, [0.98, -1.96])
    np.testing.assert_allclose(v2, [-0.028, 0.066])
    np.testing.assert_allclose(w2, [0.952, -1.894])
    # PyTorch convention, b = mu b + g; w -= lr b: same path for a constant learning rate.
    w, b = W_START.copy(), np.zeros(2)
    for g in GRADS:
        b = 0.9 * b + g
        w = w - 0.1 * b
    np.testing.assert_allclose(w, w2, rtol=1e-12)


def test_momentum_matches_keras_sgd():
    variable = keras.Variable(W_START.astype("float32"))
    optimizer = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    for g, (velocity, w) in zip(GRADS, _run_momentum(), strict=True):
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g.astype("float32")), variable)])
        np.testing.assert_allclose(np.asarray(variable.value), w, **KERAS_TOL)
        np.testing.assert_allclose(np.asarray(optimizer.momentums[0].value), velocity, **KERAS_TOL)


# ---------------------------------------------------------------- Adam


def test_adam_by_hand():
    a1, a2 = _run_adam(lr=0.1)
    assert a1.m.tolist() == pytest.approx([0.02, -0.04]) and a1.v.tolist() == pytest.approx([4e-5, 1.6e-4])
    assert a1.alpha == pytest.approx(math.sqrt(0.001))
    # alpha * m / sqrt(v) = 0.1 * sign(g) exactly; eps = 1e-7 shaves a little off.
    expected_update = math.sqrt(0.001) * 0.02 / (math.sqrt(4e-5) + 1e-7)
    assert a1.update[0] == pytest.approx(expected_update, rel=1e-12)
    assert np.round(a1.w, 6).tolist() == [0.900002, -1.900001]
    assert a2.m.tolist() == pytest.approx([0.028, -0.066])
    assert a2.v.tolist() == pytest.approx([4.996e-5, 2.4984e-4])
    assert a2.alpha == pytest.approx(0.1 * math.sqrt(1 - 0.999**2) / 0.19)
    assert round(a2.alpha, 6) == 0.023532
    assert np.round(a2.w, 6).tolist() == [0.806785, -1.801744]


def test_adam_epsilon_placement_against_textbook_form():
    # Tiny gradients make sqrt(v) comparable to eps, so where eps goes matters.
    grads = [np.array([1e-5, -3e-6]), np.array([2e-6, 1e-5]), np.array([-4e-6, 5e-6])]
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-7
    steps = _run_adam(grads, lr=lr, beta1=b1, beta2=b2, eps=eps)
    w, m, v = W_START.copy(), np.zeros(2), np.zeros(2)
    for t, (g, step) in enumerate(zip(grads, steps, strict=True), start=1):
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        np.testing.assert_allclose(step.m_hat, m_hat, rtol=1e-12)
        np.testing.assert_allclose(step.v_hat, v_hat, rtol=1e-12)
        effective = lr * m_hat / (np.sqrt(v_hat) + eps / math.sqrt(1 - b2**t))
        np.testing.assert_allclose(step.update, effective, rtol=1e-12)
        naive = lr * m_hat / (np.sqrt(v_hat) + eps)
        assert not np.allclose(step.update, naive, rtol=1e-3)  # the textbook eps placement is a different optimiser
        w = w - effective
    np.testing.assert_allclose(steps[-1].w, w, rtol=1e-12)


@pytest.mark.parametrize(
    ("grads", "kw"),
    [
        (GRADS, {"lr": 0.1}),
        ([np.array([1e-5, -3e-6]), np.array([2e-6, 1e-5]), np.array([-4e-6, 5e-6])], {"lr": 0.001}),
        ([np.array([0.5, 2.0]), np.array([-1.0, 0.25])], {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}),
    ],
)
def test_adam_matches_keras(grads, kw):
    variable = keras.Variable(W_START.astype("float32"))
    optimizer = keras.optimizers.Adam(
        learning_rate=kw["lr"], beta_1=kw.get("beta1", 0.9), beta_2=kw.get("beta2", 0.999), epsilon=kw.get("eps", 1e-7)
    )
    for g, step in zip(grads, _run_adam(grads, **kw), strict=True):
        optimizer.apply([keras.ops.convert_to_tensor(g.astype("float32"))], [variable])
        np.testing.assert_allclose(np.asarray(variable.value), step.w, **KERAS_TOL)
        np.testing.assert_allclose(np.asarray(optimizer._momentums[0].value), step.m, rtol=1e-5)
        np.testing.assert_allclose(np.asarray(optimizer._velocities[0].value), step.v, rtol=1e-5)


def test_adam_rejects_step_zero():
    with pytest.raises(ValueError):
        worked.adam_step(W_START, GRADS[0], np.zeros(2), np.zeros(2), 0)


# ---------------------------------------------------------------- attention


def test_attention_by_hand():
    np.testing.assert_allclose(worked.attention_scores(Q, K), [[1.0, 0.0, 0.5], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    output, weights = worked.scaled_dot_product_attention(Q, K, V)
    e = math.e
    row0 = np.array([e, 1.0, math.sqrt(e)]) / (e + 1.0 + math.sqrt(e))
    np.testing.assert_allclose(weights[0], row0, rtol=1e-12)
    np.testing.assert_allclose(weights[1], np.array([1.0, e, e]) / (1 + 2 * e), rtol=1e-12)
    np.testing.assert_allclose(weights[2], [1 / 3] * 3, rtol=1e-12)
    assert np.round(weights, 4).tolist() == [[0.5065, 0.1863, 0.3072], [0.1554, 0.4223, 0.4223], [0.3333] * 3]
    assert output[0, 0] == pytest.approx(row0[0] + row0[2]) and round(output[0, 0], 4) == 0.8137
    np.testing.assert_allclose(output[2], V.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("causal", [False, True])
def test_attention_against_einsum_and_keras(causal):
    rng = np.random.default_rng(0)
    q, k, v = (rng.normal(size=(5, 8)) for _ in range(3))  # jax wants d_v == d_k
    mask = np.tril(np.ones((5, 5), dtype=bool)) if causal else None
    output, weights = worked.scaled_dot_product_attention(q, k, v, mask)

    logits = np.einsum("td,sd->ts", q, k) / np.sqrt(8)
    if causal:
        logits = logits + np.triu(np.full((5, 5), -1e30), k=1)
    ref_weights = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    np.testing.assert_allclose(weights, ref_weights, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(output, np.einsum("ts,sd->td", ref_weights, v), rtol=1e-12)

    scores = keras.ops.matmul(q, keras.ops.transpose(k)) / np.sqrt(8.0)
    if causal:
        scores = keras.ops.where(mask, scores, -1e9)
    keras_weights = keras.ops.softmax(scores, axis=-1)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(keras_weights), weights, **KERAS_TOL)
    keras_out = keras.ops.convert_to_numpy(keras.ops.matmul(keras_weights, v))
    np.testing.assert_allclose(keras_out, output, **KERAS_TOL)

    # keras.ops.dot_product_attention wants (batch, tokens, heads, dims) and takes the same boolean mask.
    fused = keras.ops.dot_product_attention(
        q[None, :, None, :].astype("float32"),
        k[None, :, None, :].astype("float32"),
        v[None, :, None, :].astype("float32"),
        mask=None if mask is None else mask[None, None],
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(fused)[0, :, 0, :], output, **KERAS_TOL)


def test_attention_mask_must_leave_a_key():
    with pytest.raises(ValueError):
        worked.scaled_dot_product_attention(Q, K, V, mask=np.array([[1, 0, 0], [0, 0, 0], [1, 1, 1]]))


# ---------------------------------------------------------------- binary log loss


BCE_Y, BCE_P = [1.0, 0.0, 1.0, 0.0], [0.9, 0.2, 0.6, 0.4]


def test_binary_log_loss_by_hand_and_against_keras_and_torch():
    steps = worked.binary_log_loss(BCE_Y, BCE_P)
    assert steps.terms.tolist() == pytest.approx([-math.log(0.9), -math.log(0.8), -math.log(0.6), -math.log(0.6)])
    assert steps.value == pytest.approx((-math.log(0.9) - math.log(0.8) - 2 * math.log(0.6)) / 4)
    assert round(steps.value, 4) == 0.3375
    keras_value = keras.losses.BinaryCrossentropy()(np.array(BCE_Y), np.array(BCE_P))
    assert float(keras_value) == pytest.approx(steps.value, rel=1e-5)
    torch_value = torch.nn.functional.binary_cross_entropy(torch.tensor(BCE_P).double(), torch.tensor(BCE_Y).double())
    assert float(torch_value) == pytest.approx(steps.value, rel=1e-9)


# ---------------------------------------------------------------- activations


Z = [-2.0, -0.5, 0.0, 0.5, 2.0]


def test_activations_by_hand():
    acts = worked.activations(Z)
    assert acts["sigmoid"].value[2] == 0.5 and acts["sigmoid"].derivative[2] == 0.25
    assert acts["sigmoid"].value[4] == pytest.approx(1 / (1 + math.exp(-2)))
    assert acts["tanh"].derivative[2] == 1.0 and acts["tanh"].value[3] == pytest.approx(math.tanh(0.5))
    assert acts["relu"].value.tolist() == [0.0, 0.0, 0.0, 0.5, 2.0]
    assert acts["relu"].derivative.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert acts["gelu"].value[4] == pytest.approx(2 * 0.5 * (1 + math.erf(2 / math.sqrt(2))))
    assert acts["gelu"].derivative[2] == 0.5


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "gelu"])
def test_activations_and_derivatives_against_torch_autograd_and_keras(name):
    z = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
          "gelu": torch.nn.functional.gelu}[name]  # fmt: skip
    out = fn(z)
    out.sum().backward()
    ours = worked.activations(Z)[name]
    np.testing.assert_allclose(ours.value, out.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ours.derivative, z.grad.numpy(), rtol=1e-12, atol=1e-15)
    kfn = {"sigmoid": keras.activations.sigmoid, "tanh": keras.activations.tanh, "relu": keras.activations.relu,
           "gelu": lambda x: keras.activations.gelu(x, approximate=False)}[name]  # fmt: skip
    np.testing.assert_allclose(keras.ops.convert_to_numpy(kfn(np.array(Z))), ours.value, **KERAS_TOL)


# ---------------------------------------------------------------- backpropagation


BP = {"x": [1.0, 2.0], "y": 1.0, "w1": [[0.1, 0.2], [-0.3, 0.4]], "b1": [0.0, -0.7], "w2": [0.7, -0.5], "b2": 0.2}


def test_backprop_by_hand():
    s = worked.backprop(**BP)
    assert s.h_pre.tolist() == pytest.approx([0.5, -0.2]) and s.h.tolist() == pytest.approx([0.5, 0.0])
    assert s.z == pytest.approx(0.55) and s.p == pytest.approx(1 / (1 + math.exp(-0.55)))
    assert s.loss == pytest.approx(math.log(1 + math.exp(-0.55)))
    assert s.d_z == pytest.approx(s.p - 1)
    assert s.d_w2.tolist() == pytest.approx([0.5 * s.d_z, 0.0])
    assert s.d_h_pre.tolist() == pytest.approx([0.7 * s.d_z, 0.0])  # the inactive ReLU unit passes no gradient
    np.testing.assert_allclose(s.d_w1, [[0.7 * s.d_z, 1.4 * s.d_z], [0.0, 0.0]], rtol=1e-12)
    assert round(s.p, 6) == 0.634136 and round(s.d_w1[0, 1], 6) == -0.51221


def test_backprop_against_torch_autograd():
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k not in ("x", "y")) for k, v in BP.items()}
    p = torch.sigmoid(t["w2"] @ torch.relu(t["w1"] @ t["x"] + t["b1"]) + t["b2"])
    loss = torch.nn.functional.binary_cross_entropy(p, t["y"])
    loss.backward()
    s = worked.backprop(**BP)
    assert s.loss == pytest.approx(loss.item(), rel=1e-12)
    for ours, name in ((s.d_w1, "w1"), (s.d_b1, "b1"), (s.d_w2, "w2"), (s.d_b2, "b2")):
        np.testing.assert_allclose(ours, t[name].grad.numpy(), rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- FedAvg and differential privacy


FED_W, FED_N = [[0.5, 1.0], [1.5, -1.0], [4.0, 3.0]], [1000, 100, 10]


def test_fedavg_by_hand_against_numpy_and_the_privacy_package():
    from startup_report.privacy.fedavg import weighted_average

    steps = worked_privacy.fedavg(FED_W, FED_N)
    assert steps.shares.tolist() == pytest.approx([1000 / 1110, 100 / 1110, 10 / 1110])
    assert steps.value.tolist() == pytest.approx([(500 + 150 + 40) / 1110, (1000 - 100 + 30) / 1110])
    np.testing.assert_allclose(steps.value, np.average(FED_W, axis=0, weights=FED_N), rtol=1e-12)
    np.testing.assert_allclose(weighted_average([[np.array(w)] for w in FED_W], FED_N)[0], steps.value, rtol=1e-6)
    assert steps.unweighted.tolist() == [2.0, 1.0]


def test_gaussian_mechanism_by_hand_and_exact_delta():
    from scipy.stats import norm

    sigma = worked_privacy.gaussian_sigma(1.0, 0.5, 1e-5)
    assert sigma == pytest.approx(math.sqrt(2 * math.log(125000)) / 0.5)
    assert round(sigma, 4) == 9.6896
    exact = worked_privacy.gaussian_delta(sigma, 1.0, 0.5)
    a, b = 1 / (2 * sigma), 0.5 * sigma
    assert exact == pytest.approx(norm.cdf(a - b) - math.exp(0.5) * norm.cdf(-a - b), rel=1e-9)
    assert 0 < exact < 1e-5  # the classical sigma is conservative
    # (epsilon, delta) holds on the worst sets S = {o > t}: P[M(D) in S] <= e^eps P[M(D') in S] + delta.
    for t in np.linspace(-40, 80, 121):
        assert norm.sf(t, loc=1, scale=sigma) <= math.exp(0.5) * norm.sf(t, scale=sigma) + exact + 1e-15
    with pytest.raises(ValueError):
        worked_privacy.gaussian_sigma(1.0, 2.0, 1e-5)


def test_privacy_loss_against_the_log_density_ratio():
    from scipy.stats import norm

    sigma = worked_privacy.gaussian_sigma(1.0, 0.5, 1e-5)
    for o in (-10.0, 0.5, 50.0):
        ratio = norm.logpdf(o, loc=1, scale=sigma) - norm.logpdf(o, scale=sigma)
        assert worked_privacy.privacy_loss(o, sigma) == pytest.approx(ratio, rel=1e-9)
    assert worked_privacy.privacy_loss(50.0, sigma) > 0.5 > worked_privacy.privacy_loss(40.0, sigma)


def test_dp_sgd_step_by_hand_and_against_opacus_clipping():
    steps = worked_privacy.dp_sgd_step([0.0, 0.0], [[3.0, 4.0], [0.3, -0.4], [-1.0, 0.0]], 1.0, 1.0, [0.5, -1.0], 0.1)
    assert steps.norms.tolist() == pytest.approx([5.0, 0.5, 1.0])
    np.testing.assert_allclose(steps.clipped, [[0.6, 0.8], [0.3, -0.4], [-1.0, 0.0]], rtol=1e-12)
    assert steps.total.tolist() == pytest.approx([-0.1, 0.4]) and steps.noisy.tolist() == pytest.approx([0.4, -0.6])
    assert steps.gradient.tolist() == pytest.approx([0.4 / 3, -0.2])
    assert steps.w.tolist() == pytest.approx([-0.4 / 30, 0.02])
    # Opacus: a bias-free linear layer with loss sum(w . x_i) has per-example gradient x_i; sigma = 0.
    from opacus import GradSampleModule
    from opacus.optimizers import DPOptimizer

    layer = torch.nn.Linear(2, 1, bias=False)
    module = GradSampleModule(layer, loss_reduction="sum")
    optimizer = DPOptimizer(torch.optim.SGD(layer.parameters(), lr=0.0), noise_multiplier=0.0, max_grad_norm=1.0,
                            expected_batch_size=3, loss_reduction="sum")  # fmt: skip
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Full backward hook")
        module(torch.tensor([[3.0, 4.0], [0.3, -0.4], [-1.0, 0.0]])).sum().backward()
    optimizer.pre_step()
    np.testing.assert_allclose(layer.weight.grad.numpy()[0], steps.total, atol=1e-5)


def test_common_mistakes_against_independent_values():
    m = worked_privacy.common_mistakes()
    assert m["ce_correct"] == pytest.approx(-math.log(1 / (1 + math.exp(-1) + math.exp(-1.9))))
    assert m["ce_swapped"] == math.inf
    p2, p3 = math.exp(-1) / (1 + math.exp(-1) + math.exp(-1.9)), math.exp(-1.9) / (1 + math.exp(-1) + math.exp(-1.9))
    assert m["ce_swapped_clipped"] == pytest.approx(-(p2 + p3) * math.log(1e-7), rel=1e-6)
    assert m["bce_no_negative_term"] == pytest.approx(-(math.log(0.9) + math.log(0.6)) / 4)
    assert m["fedavg_correct"] == pytest.approx(690 / 1110) and m["fedavg_unweighted"] == 2.0
    assert m["adam_no_sqrt"] == pytest.approx(math.sqrt(0.001) * 0.02 / (4e-5 + 1e-7))
    assert round(m["adam_correct"], 6) == 0.099998
    assert m["dp_ratio_correct"] == pytest.approx(math.e**0.5) and m["dp_loss_at_50"] > 0.5


# ---------------------------------------------------------------- the chapter itself


def _notebook() -> dict:
    return json.loads(NOTEBOOK.read_text())


def _run_chapter(monkeypatch) -> dict:
    """Execute the chapter's code cells (no kernel) and return what it glues, by key."""
    glued: dict = {}
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: glued.__setitem__(name, value)
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    namespace: dict = {"__name__": "__main__"}
    for cell in _notebook()["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), namespace)
    import matplotlib.pyplot as plt

    plt.close("all")
    return glued


# Independent inputs of the expected values: sigmoid(0.55), the classical Gaussian sigma and its exact delta
# (scipy's normal distribution), the softmax normaliser of the logits (2, 1, 0.1).
_P = 1 / (1 + math.exp(-0.55))
_SIGMA = math.sqrt(2 * math.log(1.25 / 1e-5)) / 0.5
_A, _B = 1 / (2 * _SIGMA), 0.5 * _SIGMA
_EXACT_DELTA = float(norm.cdf(_A - _B) - math.exp(0.5) * norm.cdf(-_A - _B))
_Z = 1 + math.exp(-1) + math.exp(-1.9)

# The numbers the page prints, worked independently of the package (formatted as the page formats them).
EXPECTED = {
    "mse_sum": 6.0, "mse_value": 1.5,
    "softmax_sum_exp": 1 + math.exp(-1) + math.exp(-1.9),
    "softmax_p_card_arrival": 1 / (1 + math.exp(-1) + math.exp(-1.9)),
    "softmax_p_lost_or_stolen_card": math.exp(-1) / (1 + math.exp(-1) + math.exp(-1.9)),
    "softmax_p_top_up_failed": math.exp(-1.9) / (1 + math.exp(-1) + math.exp(-1.9)),
    "ce_loss": math.log(1 + math.exp(-1) + math.exp(-1.9)),
    "ce_log_sum_exp": 2 + math.log(1 + math.exp(-1) + math.exp(-1.9)),
    "ce_loss_top_up_failed": 1.9 + math.log(1 + math.exp(-1) + math.exp(-1.9)),
    "gd_loss_0": 29 / 3, "gd_grad_intercept": -6.0, "gd_grad_slope": -40 / 3,
    "gd_w1_intercept": 0.6, "gd_w1_slope": 4 / 3, "gd_loss_1": 98 / 675,
    "gd_loss_5": 0.0248, "gd_w5_intercept": 0.5845, "gd_w5_slope": 1.1828,
    "mom_v2_first": -0.028, "mom_v2_second": 0.066, "mom_w2_first": 0.952, "mom_w2_second": -1.894,
    "plain_w2_first": 0.97, "plain_w2_second": -1.93,
    "adam_alpha_1": math.sqrt(0.001), "adam_update_1_first": 0.099998, "adam_w1_first": 0.900002,
    "adam_w1_second": -1.900001, "adam_alpha_2": 0.1 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2),
    "adam_w2_first": 0.806785, "adam_w2_second": -1.801744,
    "att_score_card_card": 1.0, "att_score_card_never": 0.0, "att_score_card_arrived": 0.5,
    "att_w_card_card": math.e / (math.e + 1 + math.sqrt(math.e)),
    "att_w_card_never": 1 / (math.e + 1 + math.sqrt(math.e)),
    "att_w_card_arrived": math.sqrt(math.e) / (math.e + 1 + math.sqrt(math.e)),
    "att_w_never_never": math.e / (1 + 2 * math.e), "att_w_arrived": 1 / 3,
    "att_out_card_0": (math.e + math.sqrt(math.e)) / (math.e + 1 + math.sqrt(math.e)),
    "bce_value": (-math.log(0.9) - math.log(0.8) - 2 * math.log(0.6)) / 4, "bce_term_neg": -math.log(0.8),
    "act_sigmoid_max_slope": 0.25, "act_sigmoid_slope_2": math.exp(-2) / (1 + math.exp(-2)) ** 2,
    "act_gelu_m05": -0.5 * 0.5 * math.erfc(0.5 / math.sqrt(2)),
    "bp_z": 0.55, "bp_p": _P, "bp_loss": math.log(1 + math.exp(-0.55)), "bp_dz": _P - 1,
    "bp_dw2_0": 0.5 * (_P - 1), "bp_dh_1": -0.5 * (_P - 1), "bp_dw1_00": 0.7 * (_P - 1), "bp_dw1_01": 1.4 * (_P - 1),
    "fed_w0": 690 / 1110, "fed_w1": 930 / 1110, "fed_share_small": 10 / 1110, "fed_plain_w0": 2.0,
    "dp_sigma": _SIGMA, "dp_exact_delta": _EXACT_DELTA, "dp_loss_50": 99 / (2 * _SIGMA**2),
    "dpsgd_clip_0": 0.6, "dpsgd_clip_1": 0.8, "dpsgd_grad_0": 0.4 / 3, "dpsgd_grad_1": -0.2,
    "mistake_ce_swapped_clipped": -(1 - 1 / _Z) * math.log(1e-7), "mistake_ce_correct": math.log(_Z),
    "mistake_bce_no_negative_term": -(math.log(0.9) + math.log(0.6)) / 4,
    "mistake_bce_correct": (-math.log(0.9) - math.log(0.8) - 2 * math.log(0.6)) / 4,
    "mistake_fedavg_unweighted": 2.0, "mistake_fedavg_correct": 690 / 1110,
    "mistake_adam_no_sqrt": math.sqrt(0.001) * 0.02 / (4e-5 + 1e-7), "mistake_adam_correct": 0.099998,
    "mistake_dp_ratio_wrong": 0.5, "mistake_dp_ratio_correct": math.exp(0.5),
    "mistake_dp_loss_at_50": 99 / (2 * _SIGMA**2),
}  # fmt: skip


def _references() -> dict[str, str]:
    """Glue key -> format spec for every {glue:text} role in the chapter's markdown."""
    text = "".join("".join(c["source"]) for c in _notebook()["cells"] if c["cell_type"] == "markdown")
    refs: dict[str, str] = {}
    for key, spec in re.findall(r"\{glue:text\}`([A-Za-z0-9_]+):([^`]+)`", text):
        refs[key] = spec
    return refs


def test_chapter_glues_the_checked_numbers(monkeypatch):
    glued = _run_chapter(monkeypatch)
    refs = _references()
    assert set(EXPECTED) <= set(glued)
    assert set(refs) <= set(glued), "every {glue:text} key is glued by a code cell"
    for key, expected in EXPECTED.items():
        assert type(glued[key]) is float, f"{key}: glue Python floats so {{glue:text}} can format them"
        spec = refs.get(key, ".4f")
        assert format(glued[key], spec) == format(expected, spec), key
    assert "attention_heatmap" in glued and "activation_curves" in glued


def test_chapter_is_committed_clean():
    nb = _notebook()
    assert nb["nbformat"] == 4
    cells = nb["cells"]
    assert all(c.get("id") for c in cells) and len({c["id"] for c in cells}) == len(cells)
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert not re.search(r"^\s*def |lambda", "".join(cell["source"]), re.M), "logic lives in the package"
    headings = [line for c in cells if c["cell_type"] == "markdown" for line in "".join(c["source"]).splitlines()]
    assert [h for h in headings if h.startswith("# ")] == ["# The math, worked and checked"]
    assert [h[3:] for h in headings if h.startswith("## ")] == [
        "Mean squared error", "Softmax", "Cross-entropy", "Binary log loss", "Activation functions",
        "Backpropagation, worked", "Gradient descent", "SGD with momentum", "Adam", "Scaled dot-product attention",
        "Federated averaging", "Differential privacy and the Gaussian mechanism", "DP-SGD",
        "A funding round, worked", "Common mistakes, corrected",
    ]  # fmt: skip


def test_funding_round_by_hand():
    from startup_report.report import worked_funding

    # $2M raised at $8M pre-money into a future worth $10M: d = 2 / 10 = 0.2, the company then holds
    # 2 + 10 = 12; owners keep 0.8 x 12 = 9.6, investors 2.4 for their 2 (a transfer of 0.4); forgetting the
    # cash would give 0.8 x 10 = 8.0.
    steps = worked_funding.funding_round(2e6, 8e6, 10e6)
    assert steps.dilution == pytest.approx(0.2)
    assert steps.post_money == pytest.approx(10e6)
    assert steps.company_after == pytest.approx(12e6)
    assert steps.owners_keep == pytest.approx(9.6e6)
    assert steps.investors_get == pytest.approx(2.4e6)
    assert steps.transfer == pytest.approx(0.4e6)
    assert steps.cash_left_out == pytest.approx(8.0e6)


def test_funding_round_matches_the_plan():
    # The plan's owners' value after one round is the worked formula's owners_keep (0% rate, one round).
    from startup_report.market import finance
    from startup_report.report import worked_funding

    p = finance.PlanInputs(
        months=16, starting_cash_usd=57_000.0, initial_customers=10.0, new_customers_per_month=0.0,
        sales_growth_annual=0.0, churn_monthly=0.0, contacts_per_customer_month=1000.0, automation_rate=0.5,
        automation_precision=0.9, price_per_resolution_usd=1.0, serving_usd_per_contact=0.01,
        fixed_cost_per_customer_usd=10.0, opex_usd_per_month=10_000.0, opex_growth_annual=0.0, cac_usd=0.0,
        discount_rate_annual=0.0, exit_revenue_multiple=10.0, runway_target_months=8,
        round_premoney_usd=(100_000.0,), round_milestone_arr_usd=(0.0,), max_dilution=0.9,
    )
    result = finance.run_plan(p)
    steps = worked_funding.funding_round(6 * 5700, 100_000.0, -6 * 5700 + 10 * 12 * 4500)
    assert result.npv_usd[0] == pytest.approx(-10 * 5700 + steps.owners_keep)


def test_staged_rounds_worked_back_by_hand():
    from startup_report.report import worked_funding

    # A company worth $30M (starting cash $1M, flows, raised cash, exit) after two rounds: $2M at $8M pre-money
    # (d = 0.2) and then $6M at $24M (d = 0.2). Before the second round the holders keep min(30 - 6, 0.8 x 30)
    # = 24; before the first, min(24 - 2, 0.8 x 24) = 19.2; today's owners' value is 19.2 - 1 = 18.2.
    rounds = [(2e6, 8e6), (6e6, 24e6)]
    assert worked_funding.staged_value(30e6, rounds, 1e6) == pytest.approx([19.2e6, 24e6, 18.2e6])
    # Worth only $4M (no exit): min(4 - 6, 3.2) = -2, then min(-2 - 2, 0) = -4: the owners bear every dollar.
    assert worked_funding.staged_value(4e6, rounds, 1e6) == pytest.approx([-4e6, -2e6, -5e6])
    # The second round fails (a round at zero pre-money): min(30 - 6, 0) = 0, then min(0 - 2, 0) = -2.
    assert worked_funding.staged_value(30e6, [(2e6, 8e6), (6e6, 0.0)], 1e6) == pytest.approx([-2e6, 0.0, -3e6])


def test_staged_rounds_worked_back_match_the_plan():
    # The plan of tests/test_finance.py::_staged (0% rate): worth 2,160,000, rounds of 11,400, 34,200 and
    # 34,200 at $1M pre-money, starting cash 57,000.
    from startup_report.market import finance
    from startup_report.report import worked_funding

    p = finance.PlanInputs(
        months=24, starting_cash_usd=57_000.0, initial_customers=10.0, new_customers_per_month=0.0,
        sales_growth_annual=0.0, churn_monthly=0.0, contacts_per_customer_month=1000.0, automation_rate=0.5,
        automation_precision=0.9, price_per_resolution_usd=1.0, serving_usd_per_contact=0.01,
        fixed_cost_per_customer_usd=10.0, opex_usd_per_month=10_000.0, opex_growth_annual=0.0, cac_usd=0.0,
        discount_rate_annual=0.0, exit_revenue_multiple=40.0, runway_target_months=6,
        round_premoney_usd=(1e6,), round_milestone_arr_usd=(0.0,), max_dilution=0.9,
    )
    worked = worked_funding.staged_value(2_160_000.0, [(11_400.0, 1e6), (34_200.0, 1e6), (34_200.0, 1e6)], 57_000.0)
    assert finance.run_plan(p).npv_usd[0] == pytest.approx(worked[-1])
