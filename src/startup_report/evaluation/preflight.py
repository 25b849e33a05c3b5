"""The evaluation stage's check of its parameters against the data: the out-of-scope label must exist.

Apart from `data.dataset` so that adding an evaluation check leaves the data-prep stage's code untouched.
"""

from __future__ import annotations

from pathlib import Path

from startup_report.data.dataset import LABEL, DataError, read_table, standardize


def check_out_of_scope_label(params, root: Path) -> None:
    """`evaluation.out_of_scope_label` must be a label of the training data (the open world uses it as the
    unknown class); checked before any stage runs, with the labels that exist."""
    label = params.evaluation.out_of_scope_label
    if label is None:
        return
    train_path = root / params.data.train
    labels = sorted(set(standardize(read_table(train_path, "data.train"), train_path, params.data)[LABEL]))
    if label not in labels:
        shown = ", ".join(repr(name) for name in labels[:20]) + (" ..." if len(labels) > 20 else "")
        raise DataError(
            f"evaluation.out_of_scope_label: {label!r} is not a label of {train_path} "
            f"(column {params.data.label_column!r}). Labels present: {shown}. Set it to one of them, or to null "
            "when the dataset has no out-of-scope label (the open world then holds out intents)."
        )
