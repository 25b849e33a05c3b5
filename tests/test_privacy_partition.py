"""Client-bank partitions: every message once, reproducible from the seed, and skewed as alpha says."""

import numpy as np
import pytest

from startup_report.privacy import partition

LABELS = np.repeat(np.arange(20), 30)  # 20 intents x 30 messages


@pytest.mark.parametrize("alpha", [0.1, 1.0, 100.0])
def test_every_message_goes_to_exactly_one_client(alpha):
    parts = partition.dirichlet_partition(LABELS, 6, alpha, seed=3, min_size=5)
    together = np.concatenate(parts)
    assert len(parts) == 6 and sorted(together.tolist()) == list(range(len(LABELS)))
    assert min(len(p) for p in parts) >= 5


def test_same_seed_same_split_other_seed_other_split():
    a = partition.dirichlet_partition(LABELS, 5, 0.5, seed=1)
    b = partition.dirichlet_partition(LABELS, 5, 0.5, seed=1)
    c = partition.dirichlet_partition(LABELS, 5, 0.5, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(np.array_equal(x, y) for x, y in zip(a, c, strict=True))


def test_low_alpha_is_more_skewed_than_high_alpha():
    tv = {
        alpha: np.mean([
            partition.skew_summary(LABELS, partition.dirichlet_partition(LABELS, 5, alpha, seed=s), 20)["tv_distance"]
            for s in range(5)
        ])
        for alpha in (0.1, 1.0, 100.0)
    }  # fmt: skip
    assert tv[0.1] > tv[1.0] > tv[100.0]
    assert tv[100.0] < 0.15 and tv[0.1] > 0.5


def test_skew_summary_by_hand():
    labels = np.array([0, 0, 1, 1])
    parts = [np.array([0, 1]), np.array([2, 3])]  # two banks, disjoint intents
    summary = partition.skew_summary(labels, parts, 2)
    # overall mix (1/2, 1/2); each bank (1, 0) or (0, 1): TV = (1/2)(1/2 + 1/2) = 1/2
    assert summary["tv_distance"] == pytest.approx(0.5)
    assert summary["intents_covered"] == pytest.approx(0.5)
    assert summary["smallest_client"] == 2 and summary["largest_client"] == 2
    iid = partition.skew_summary(labels, [np.array([0, 2]), np.array([1, 3])], 2)
    assert iid["tv_distance"] == pytest.approx(0.0) and iid["intents_covered"] == 1.0


def test_impossible_minimum_is_refused():
    with pytest.raises(ValueError):
        partition.dirichlet_partition(LABELS, 100, 1.0, seed=0, min_size=10)
    with pytest.raises(ValueError):
        partition.dirichlet_partition(LABELS, 3, 0.0, seed=0)


def test_sub_seeds():
    assert partition.sub_seed(42, "central", "1.0") == partition.sub_seed(42, "central", "1.0")
    assert partition.sub_seed(42, "central", "1.0") != partition.sub_seed(42, "central", "8.0")
    assert partition.sub_seed(42, "x") != partition.sub_seed(43, "x")
