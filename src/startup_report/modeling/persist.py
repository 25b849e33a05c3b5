"""Save the trained models the evaluation stage measures, and load them back for serving.

Pickle is enough here: the files are build products read back by the same environment. The
shared sentence encoder is not pickled with the frozen models (it ships in a package); loading
re-attaches it without the embedding cache, because a served message is new text.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from startup_report.modeling.base import IntentModel

if TYPE_CHECKING:
    from startup_report.modeling.encoder import SentenceEncoder


def models_dir(training_dir: Path | str) -> Path:
    """The training stage's folder of saved models (its declared output ``models``)."""
    return Path(training_dir) / "models"


def model_file(training_dir: Path | str, name: str) -> Path:
    """Where the training stage saved model ``name``: what serving and the explanations load."""
    return models_dir(training_dir) / f"{name}.pkl"


def save_model(model: IntentModel, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_model(path: Path, encoder: SentenceEncoder | None = None) -> IntentModel:
    """The saved model; a frozen-encoder model (saved without its encoder) gets ``encoder``, else one without
    a cache (serving: every message is new text).

    Pass a cached encoder where the texts repeat from run to run (the explanations' word-occluded messages):
    a rerun then reads every embedding from the cache and never loads the encoder or torch.
    """
    with Path(path).open("rb") as handle:
        model = pickle.load(handle)  # noqa: S301 - our own build product
    if getattr(model, "family", "") == "frozen" and getattr(model, "encoder", None) is None:
        from startup_report.modeling.encoder import SentenceEncoder

        model.encoder = encoder if encoder is not None else SentenceEncoder(cache=None)
    return model
