"""SetFit family on a tiny BANKING77 slice: interface, reproducibility by seed, the step bound, bad input.

Kept small (4 intents x 4 messages, 3 steps of 8 pairs, one torch thread) so it runs in well under a minute.
"""

import numpy as np
import pandas as pd
import pytest

from startup_report.modeling import zoo
from startup_report.modeling.catalog import MODELS
from startup_report.modeling.contrastive import SetFitClassifier
from startup_report.params import ModelParams, TrainingParams

N_CLASSES = 5  # the fifth intent has no training message: its column must stay 0
PER_CLASS = 4


@pytest.fixture(scope="module")
def tiny(request) -> tuple[list[str], np.ndarray]:
    df = pd.read_csv(request.config.rootpath / "data/raw/banking77/train.csv")
    intents = sorted(df["category"].unique())[: N_CLASSES - 1]
    rows = pd.concat([df[df["category"] == c].head(PER_CLASS) for c in intents])
    return rows["text"].tolist(), rows["category"].map({c: i for i, c in enumerate(intents)}).to_numpy()


def _fit(tiny, seed: int, **kwargs) -> SetFitClassifier:
    settings = {"num_iterations": 2, "max_steps": 3, "batch_size": 8, "threads": 1}
    model = SetFitClassifier(N_CLASSES, **{**settings, **kwargs})
    texts, labels = tiny
    model.fit(texts, labels, texts, labels, seed=seed)
    return model


@pytest.fixture(scope="module")
def trained(tiny) -> SetFitClassifier:
    return _fit(tiny, seed=3)


def test_probabilities_cover_every_intent_and_sum_to_one(trained, tiny):
    texts, _ = tiny
    probs = trained.predict_proba(texts)
    assert probs.shape == (len(texts), N_CLASSES)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert (probs[:, N_CLASSES - 1] == 0).all()  # never seen in training
    assert trained.predict_proba([]).shape == (0, N_CLASSES)


def test_training_is_bounded_by_steps_not_time(trained):
    assert trained.steps == 3  # 2 iterations x 16 messages x 2 sides = 64 pairs, capped at 3 batches of 8
    assert trained.pairs == 24


def test_same_seed_same_model_other_seed_other_model(trained, tiny):
    texts, _ = tiny
    probs = trained.predict_proba(texts)
    np.testing.assert_allclose(_fit(tiny, seed=3).predict_proba(texts), probs, atol=1e-6)
    assert not np.allclose(_fit(tiny, seed=4).predict_proba(texts), probs, atol=1e-6)


def test_costs_count_the_encoder_and_the_head(trained):
    assert trained.n_parameters() == SetFitClassifier(N_CLASSES).n_parameters()  # from the config before fit
    assert 22_000_000 < trained.n_parameters() < 23_000_000
    assert trained.size_bytes() == 4 * trained.n_parameters()
    assert trained.flops_per_message() > 1e7


def test_bad_input_is_rejected_before_training(tiny):
    texts, labels = tiny
    with pytest.raises(ValueError, match="n_classes"):
        SetFitClassifier(1)
    with pytest.raises(ValueError, match="max_steps"):
        SetFitClassifier(N_CLASSES, max_steps=0)
    with pytest.raises(ValueError, match="two intents"):
        SetFitClassifier(N_CLASSES).fit(texts[:3], np.zeros(3, dtype=int), [], np.array([]), seed=0)
    with pytest.raises(RuntimeError, match="fit"):
        SetFitClassifier(N_CLASSES).predict_proba(["hello"])


def test_the_catalog_and_the_zoo_build_it_from_parameters():
    info = MODELS["minilm-setfit"]
    assert (info.family, info.pretrained, info.deterministic) == ("setfit", True, False)
    training = TrainingParams(setfit_iterations=5, setfit_max_steps=7, setfit_learning_rate=3e-5)
    config = zoo.model_config("minilm-setfit", ModelParams(logreg_c=2.0), training)
    model = zoo.build("minilm-setfit", N_CLASSES, config)
    assert (model.num_iterations, model.max_steps, model.learning_rate, model.c) == (5, 7, 3e-5, 2.0)
    assert zoo.seeds_for("minilm-setfit", "full", TrainingParams(), 42) == []  # few-shot only (CPU cost)
    assert zoo.seeds_for("minilm-setfit", 30, TrainingParams(), 42) == []
    assert zoo.seeds_for("minilm-setfit", 10, TrainingParams(), 42) == [42]


def test_importing_setfit_leaves_the_process_warning_filters_alone():
    """setfit's __init__ re-enables DeprecationWarning for the whole process; the book would then show other
    libraries' notices. Checked in a fresh interpreter, where setfit is not imported yet."""
    import subprocess
    import sys

    code = (
        "import warnings; warnings.simplefilter('ignore', DeprecationWarning)\n"
        "from startup_report.modeling.contrastive import _import_setfit; _import_setfit()\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.warn_explicit('old API', DeprecationWarning, 'lib.py', 1, module='somelib')\n"
        "assert not seen, seen"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_both_pretrained_families_check_and_count_alike():
    """SetFit and fine-tuning share their settings check and their costs (``minilm.PretrainedFamily``)."""
    from startup_report.modeling.finetune import FineTunedEncoder

    for family in (SetFitClassifier, FineTunedEncoder):
        with pytest.raises(ValueError, match="n_classes must be at least 2"):
            family(1)
    setfit, tuned = SetFitClassifier(N_CLASSES), FineTunedEncoder(N_CLASSES)
    assert setfit.n_parameters() == tuned.n_parameters() > 22_000_000  # untrained: both from the config
    assert setfit.size_bytes() == tuned.size_bytes() == 4 * tuned.n_parameters()
    assert setfit.flops_per_message() == tuned.flops_per_message() > 0


def test_the_supervised_contrastive_loss_rewards_same_intent_messages_close_together():
    import torch

    from startup_report.modeling.supcon import supcon_loss

    labels = torch.tensor([0, 0, 1, 1])
    apart = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [0.1, 1.0]]), dim=-1)
    mixed = apart[[0, 2, 1, 3]]  # the same vectors, each intent's pair now split across the two directions
    assert supcon_loss(apart, labels, 0.1) < supcon_loss(mixed, labels, 0.1)
    assert float(supcon_loss(apart, torch.tensor([0, 1, 2, 3]), 0.1)) == 0.0  # no positives: zero, not NaN
