"""FedAvg: the server's weighted mean by hand, and one round checked against full-batch gradient descent."""

import numpy as np
import pytest
import torch

from startup_report.privacy import fedavg, head


def test_weighted_average_by_hand_and_not_the_plain_mean():
    # Three banks with 1,000, 100 and 10 messages: FedAvg weights 1000/1110, 100/1110, 10/1110.
    weights = [[np.array([1.0, 0.0])], [np.array([2.0, 10.0])], [np.array([4.0, 100.0])]]
    sizes = [1000, 100, 10]
    (avg,) = fedavg.weighted_average(weights, sizes)
    assert avg.tolist() == pytest.approx([(1000 + 200 + 40) / 1110, (1000 + 1000) / 1110], rel=1e-6)
    assert avg[0] == pytest.approx(1.117117, abs=1e-6)
    plain = np.mean([w[0] for w in weights], axis=0)
    assert plain[0] == pytest.approx(7 / 3) and not np.allclose(avg, plain)  # the unweighted mean is another model


def test_weighted_average_refuses_bad_input():
    with pytest.raises(ValueError):
        fedavg.weighted_average([[np.zeros(2)]], [1, 2])
    with pytest.raises(ValueError):
        fedavg.weighted_average([[np.zeros(2)]], [0])


def _blobs(n=90, dim=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    x = rng.normal(size=(n, dim)) + 2.0 * np.eye(classes, dim)[y]
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), y


def test_one_round_with_full_local_batches_is_one_step_of_gradient_descent_on_the_pooled_data():
    # Each bank takes one full-batch step from w; averaging with n_k/n gives w - lr * (pooled mean gradient).
    x, y = _blobs()
    parts = [np.arange(0, 10), np.arange(10, 40), np.arange(40, 90)]  # unequal banks: weights matter
    lr = 0.5
    result = fedavg.run_fedavg(x, y, parts, 3, head.Schedule(1, 1000, lr), rounds=1, seed=7, evaluate=lambda w: 0.0)
    w0 = head.new_head(6, 3, 7)
    weight = torch.tensor(w0[0], requires_grad=True)
    bias = torch.tensor(w0[1], requires_grad=True)
    loss = torch.nn.functional.cross_entropy(torch.tensor(x) @ weight.T + bias, torch.tensor(y))
    loss.backward()
    np.testing.assert_allclose(result.weights[0], (weight - lr * weight.grad).detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(result.weights[1], (bias - lr * bias.grad).detach().numpy(), atol=1e-6)
    assert result.client_sizes == [10, 30, 50] and result.client_epsilons == [float("inf")] * 3


def test_fedavg_learns_and_is_reproducible():
    x, y = _blobs(n=300)
    parts = [np.arange(0, 100), np.arange(100, 200), np.arange(200, 300)]

    def accuracy(w):
        return float((head.predict_proba(w, x).argmax(axis=1) == y).mean())

    runs = [
        fedavg.run_fedavg(x, y, parts, 3, head.Schedule(1, 16, 2.0), rounds=5, seed=1, evaluate=accuracy)
        for _ in range(2)
    ]
    assert runs[0].history["round"].tolist() == list(range(6))
    assert runs[0].history["accuracy"].iloc[-1] > 0.8 > runs[0].history["accuracy"].iloc[0]
    np.testing.assert_array_equal(runs[0].weights[0], runs[1].weights[0])


def test_federated_dp_spends_each_banks_budget():
    x, y = _blobs(n=300)
    parts = [np.arange(0, 60), np.arange(60, 300)]
    delta, epochs = 1 / 300, 3
    specs = [head.DPSpec(head.noise_for_epsilon(2.0, delta, len(p), 16, epochs), 1.0, delta) for p in parts]
    assert specs[0].noise_multiplier > specs[1].noise_multiplier  # the small bank needs more noise
    result = fedavg.run_fedavg(x, y, parts, 3, head.Schedule(1, 16, 1.0), rounds=epochs, seed=0,
                               evaluate=lambda w: 0.0, dp=specs)  # fmt: skip
    assert result.client_epsilons == pytest.approx([2.0, 2.0], abs=0.05)
    assert max(result.client_epsilons) <= 2.0 + 0.02
