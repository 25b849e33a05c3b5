"""The chain: five stages, each a notebook with declared parameters, inputs and outputs.

A stage sees only the parameter sections it lists and reads only its declared inputs (raw files and
the output folders of its upstream stages), so the runner can tell exactly what a change affects.
What the engine is told about the report besides its stages (`CHAIN`): how to read the parameters, the
environment of a notebook's kernel, the package whose code keys a stage, what a run records of the machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from startup_report.engine.fingerprint import Code
from startup_report.engine.manifest import package_versions
from startup_report.engine.stage import Chain, Stage
from startup_report.evaluation.preflight import check_out_of_scope_label
from startup_report.market.checks import check_evaluation_files
from startup_report.market.preflight import preflight as check_market
from startup_report.modeling import machine
from startup_report.modeling.sampling import preflight as check_data
from startup_report.params import Params
from startup_report.params.chainview import ChainParameters
from startup_report.report import literature


def _data_files(params: Params, root: Path) -> list[Path]:
    files = [params.data.train] + ([params.data.test] if params.data.test else [])
    return [root / name for name in files]


def _market_files(params: Params, root: Path) -> list[Path]:
    """Every sourced market table, and the labelled assumption of which intents a template resolves."""
    return sorted((root / params.market.facts_dir).glob("*.csv")) + [root / params.market.intent_classes_file]


LITERATURE = "data/literature/banking77_published.csv"
OPEN_LITERATURE = "data/literature/open_intent_zhang2021.csv"
#: Few-shot levers measured by ``python -m startup_report.devtools.levers`` (minutes of fine-tuning, so measured
#: once and committed, not rerun by every build), one file a budget; the training chapter shows them.
LEVERS = ("data/levers/fewshot10.csv", "data/levers/fewshot30.csv", "data/levers/fewshotfull.csv")
#: Open intent on contrastively tuned embeddings, measured by ``python -m startup_report.devtools.openlevers``
#: (minutes a draw); the evaluation chapter shows it.
OPEN_LEVERS = "data/levers/openintent.csv"


def _published(name: str, params: Params, root: Path) -> list[Path]:
    """A published-results CSV, an input only when it holds rows of the dataset the report runs on (`data.name`)."""
    path = root / name
    return [path] if literature.applies(path, params.data.name) else []


def _measured(names: Sequence[str], params: Params, root: Path) -> list[Path]:
    """The committed measurements among ``names`` that hold rows of the dataset the report runs on."""
    paths = [root / name for name in names]
    return [p for p in paths if p.is_file() and not literature.rows_for(p, params.data.name).empty]


def _literature(params: Params, root: Path) -> list[Path]:
    """Published closed-world accuracies of this dataset, if any, and the measured few-shot levers, if any."""
    return _published(LITERATURE, params, root) + _measured(LEVERS, params, root)


def _evaluation_inputs(params: Params, root: Path) -> list[Path]:
    """LLM and machine prices, the published open-world results of this dataset, if any, and open intent on tuned
    embeddings, if measured."""
    facts = root / params.market.facts_dir
    published = _published(OPEN_LITERATURE, params, root)
    return [facts / "llm_prices.csv", facts / "compute.csv", *published, *_measured([OPEN_LEVERS], params, root)]


STAGES: tuple[Stage, ...] = (
    Stage(
        name="data-prep",
        notebook="01-data-prep.ipynb",
        preflight=(check_data,),  # the dataset reads and splits, and has every budget training asks for
        keys=("seed", "data"),
        outputs=("train.parquet", "validation.parquet", "test.parquet", "labels.json", "data_card.json"),
        external_inputs=_data_files,
    ),
    Stage(
        name="model-build",
        notebook="02-model-build.ipynb",
        keys=("seed", "model"),
        outputs=("model_card.json", "encoder.json"),
        upstream=("data-prep",),
        timed=True,  # the encoder's speed, the first time on this machine
    ),
    Stage(
        name="training",
        notebook="03-training.ipynb",
        preflight=(check_data,),
        cache=True,
        keys=("seed", "model", "training"),
        outputs=("results.csv", "probabilities.npz", "histories.json", "best_runs.json", "models"),
        upstream=("data-prep", "model-build"),
        external_inputs=_literature,
        timed=True,  # training seconds and milliseconds per message
    ),
    Stage(
        name="evaluation",
        notebook="04-evaluation.ipynb",
        preflight=(check_evaluation_files, check_out_of_scope_label),
        keys=("seed", "model", "evaluation"),  # model: the open-world experiment's logistic regression
        outputs=("metrics.json", "predictions.parquet", "predictions_open.parquet", "openworld.csv", "serving.csv"),
        upstream=("data-prep", "training"),
        external_inputs=_evaluation_inputs,
        timed=True,  # serving latency and throughput
    ),
    Stage(
        name="market-analysis",
        notebook="05-market-analysis.ipynb",
        preflight=(check_market,),
        keys=("seed", "market"),
        outputs=("unit_economics.csv", "plan.csv", "sensitivity.csv", "market.json", "whatif_basis.json"),
        upstream=("training", "evaluation"),  # results.csv for the measured learning curve
        # Not timed: the Monte Carlo's own seconds are a note on its cost, priced nowhere, so the chapters may run
        # beside it.
        external_inputs=_market_files,
    ),
)

# Book chapters that compute what they show (worked math) but feed no stage: run like stages, after them.
CHAPTERS: tuple[Stage, ...] = (
    Stage(name="math", notebook="math.ipynb", keys=(), outputs=(), folder="book", show_code=True),
    # Privacy in two chapters, so that a market or evaluation change reruns only the cheap second one.
    Stage(
        name="privacy",
        notebook="privacy.ipynb",
        keys=("seed", "privacy"),
        outputs=("federation.csv", "privacy_sweep.csv", "heads.npz"),
        upstream=("data-prep", "model-build"),
        folder="book",
    ),
    Stage(
        name="privacy-cost",
        notebook="privacy-cost.ipynb",
        keys=("market", "privacy"),
        outputs=("automation.csv", "cost_of_privacy.csv", "explanations.json"),
        upstream=("data-prep", "model-build", "training", "evaluation", "privacy"),
        external_inputs=_market_files,
        folder="book",
    ),
    # What if? The market model over a grid of the inputs a reader moves; the page looks the answers up.
    Stage(
        name="whatif",
        notebook="whatif.ipynb",
        keys=("whatif",),  # the market's values arrive in its whatif_basis.json
        outputs=("whatif.json",),
        upstream=("market-analysis",),
        folder="book",
    ),
)

ALL: tuple[Stage, ...] = STAGES + CHAPTERS
STAGE_BY_NAME: dict[str, Stage] = {stage.name: stage for stage in ALL}

# Environment every notebook kernel inherits: deterministic hashing, no model hub, quiet tokenizers, and
# the inline backend whose PNG formatter glued figures need (an inherited MPLBACKEND=Agg would drop them).
# tqdm.auto (imported by transformers, datasets and setfit, in whichever cell loads them first) warns in a
# kernel without ipywidgets that its bars fall back to text; that notice would land in the book as stderr.
# The Keras backend is set by the package itself (startup_report/__init__.py), before Keras loads.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore:IProgress not found",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}

#: The versions a run records (build/manifest.json) and the reproduce page shows.
REPORTED_PACKAGES = (
    "startup-report",
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "papermill",
    "keras",
    "jax",
    "torch",
    "scikit-learn",
    "sentence-transformers",
    "numpy",
    "pandas",
    "seaborn",
    "matplotlib",
    "pydantic",
    "pandera",
    "dask",
    "opacus",
)


def run_facts() -> dict[str, Any]:
    """What a run records of the machine and the stack: timings and bf16 speed depend on them."""
    return {
        "keras_backend": os.environ.get("KERAS_BACKEND", "jax"),
        "cpu": machine.cpu_name(),
        "native_bf16": machine.native_bf16(),
        "packages": package_versions(REPORTED_PACKAGES),
    }


def chain_of(stages: Sequence[Stage]) -> Chain:
    """``stages`` as a chain of this report, for the engine (tests build small ones)."""
    return Chain(
        tuple(stages),
        parameters=ChainParameters(),
        code=Code.of(__name__.partition(".")[0]),
        kernel_env=KERNEL_ENV,
        run_facts=run_facts,
    )


#: The report: every stage and chapter. A sweep runs ``CHAIN.only(STAGES)``.
CHAIN: Chain = chain_of(ALL)
