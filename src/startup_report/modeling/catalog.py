"""The model families and models the report compares: the one list every other module reads.

Light on purpose (no Keras or torch import), so plots and parameter checks can name models cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("classical", "scratch", "frozen", "finetuned", "setfit", "ensemble")


@dataclass(frozen=True)
class ModelInfo:
    name: str
    family: str
    pretrained: bool  # reads the sentence encoder (its weights are part of every run's key)
    deterministic: bool  # the same data give the same model whatever the seed: one run per budget suffices
    module: str  # where the model's class lives (its code, followed through imports, keys each run)
    torch: bool = False  # trains in PyTorch, where `training.precision` applies


MODELS: dict[str, ModelInfo] = {
    info.name: info
    for info in (
        ModelInfo("tfidf-logreg", "classical", False, True, "startup_report.modeling.classical"),
        ModelInfo("embedding-pooling", "scratch", False, False, "startup_report.modeling.scratch"),
        ModelInfo("transformer-encoder", "scratch", False, False, "startup_report.modeling.scratch"),
        ModelInfo("minilm-logreg", "frozen", True, True, "startup_report.modeling.frozen"),
        ModelInfo("minilm-keras-head", "frozen", True, False, "startup_report.modeling.frozenhead"),
        ModelInfo("minilm-finetuned", "finetuned", True, False, "startup_report.modeling.finetune", torch=True),
        ModelInfo("minilm-setfit", "setfit", True, False, "startup_report.modeling.contrastive", torch=True),
    )
}
