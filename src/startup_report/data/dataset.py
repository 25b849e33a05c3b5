"""Load, validate and split an intent dataset (BANKING77 by default, any text/label table otherwise).

Validation runs before any notebook starts, so a broken file costs a second, not a training run, and
its message names the file, the column and example rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from startup_report.data.config import DataParams
from startup_report.engine.stage import InputError

TEXT = "text"
LABEL = "label"


class DataError(InputError):
    """A dataset problem a user must fix; the message says where and how."""


def read_table(path: Path, field: str = "data.train / data.test") -> pd.DataFrame:
    """Read CSV or Parquet by extension; text is decoded strictly as UTF-8. ``field`` names the parameter that
    points at the file, for the messages."""
    try:
        if path.is_dir():
            raise DataError(f"{field}: {path} is a folder, not a file. Set {field} to a CSV or Parquet file.")
        if not path.is_file():
            raise DataError(f"{field}: {path}: file not found. Set {field} to an existing CSV or Parquet file.")
    except (OSError, ValueError) as exc:  # a path with a NUL byte, or one too long for the system
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{field}: {str(path)[:200]!r} is not a usable path ({type(exc).__name__}).") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(
                path, encoding="utf-8", encoding_errors="strict", dtype=str, keep_default_na=False, na_values=[""]
            )
        if suffix in {".parquet", ".pq"}:
            return pd.read_parquet(path)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: text is not valid UTF-8 ({exc.reason} at byte {exc.start}). Re-save the file as UTF-8."
        ) from exc
    except (ValueError, OSError) as exc:  # pandas' EmptyDataError and ParserError are ValueErrors
        raise DataError(f"{field}: {path} cannot be read as {suffix[1:]} ({str(exc)[:300]}).") from exc
    raise DataError(f"{field}: {path}: unsupported extension {suffix!r}. Use .csv or .parquet.")


def _examples(frame: pd.DataFrame, mask: pd.Series, limit: int = 3) -> str:
    rows = frame.index[mask][:limit]
    # +2: one for the header row, one because humans count rows from 1.
    return ", ".join(str(int(i) + 2) for i in rows)


def standardize(frame: pd.DataFrame, path: Path, params: DataParams) -> pd.DataFrame:
    """Check one table and return it with columns ``text`` and ``label``."""
    for role, column in (("text", params.text_column), ("label", params.label_column)):
        if column not in frame.columns:
            present = [str(name)[:40] for name in list(frame.columns)[:20]]
            raise DataError(
                f"{path}: no column {column!r} (data.{role}_column). Columns present: {present}"
                f"{' ...' if len(frame.columns) > 20 else ''}. Set -p data.{role}_column=<name>."
            )
    if frame.empty:
        raise DataError(f"{path}: the table has a header but no rows. Point data.train / data.test at the data.")
    out = pd.DataFrame({TEXT: frame[params.text_column], LABEL: frame[params.label_column]})
    null_label = out[LABEL].isna() | (out[LABEL].astype(str).str.strip() == "")
    if null_label.any():
        raise DataError(
            f"{path}: column {params.label_column!r} has {int(null_label.sum())} empty labels "
            f"(rows {_examples(out, null_label)}). Label every row or drop it."
        )
    text = out[TEXT]
    bad_text = text.isna() | ~text.map(lambda value: isinstance(value, str)) | (text.astype(str).str.strip() == "")
    if bad_text.any():
        raise DataError(
            f"{path}: column {params.text_column!r} has {int(bad_text.sum())} empty or whitespace-only texts "
            f"(rows {_examples(out, bad_text)}). Remove those rows."
        )
    out[LABEL] = out[LABEL].astype(str)
    out[TEXT] = out[TEXT].astype(str)
    return out


@dataclass(frozen=True)
class Splits:
    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame
    labels: list[str]
    duplicates_found: int
    duplicates_removed: int
    dataset: str  # the declared `data.name`: which published results apply


def load_and_check(params: DataParams, root: Path, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The full train and test tables, validated; a test split is drawn by seed when none is given."""
    train_path = root / params.train
    train = standardize(read_table(train_path, "data.train"), train_path, params)
    if train[LABEL].nunique() < 2:
        raise DataError(
            f"{train_path}: column {params.label_column!r} (data.label_column) holds "
            f"{train[LABEL].nunique()} label ({sorted(set(train[LABEL]))[:1]}); routing needs at least two intents. "
            "Point data.label_column at the intent column or add examples of other intents."
        )
    if params.test:
        test_path = root / params.test
        test = standardize(read_table(test_path, "data.test"), test_path, params)
        unseen = ~test[LABEL].isin(set(train[LABEL]))
        if unseen.any():
            names = sorted(set(test.loc[unseen, LABEL]))[:5]
            raise DataError(
                f"{test_path}: {int(unseen.sum())} test rows have labels never seen in training, e.g. {names} "
                f"(rows {_examples(test, unseen)}). Add training examples for them or drop those rows."
            )
    else:
        if rare := _single_example_labels(train):
            raise DataError(
                f"{train_path}: labels {rare} have a single example; a stratified "
                "test split needs at least 2 per label. Provide data.test or more examples."
            )
        train, test = _stratified_split(train, params.test_fraction, seed)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def _single_example_labels(frame: pd.DataFrame) -> list:
    """Up to five labels with fewer than 2 rows, which a stratified split cannot divide (empty when none)."""
    counts = frame[LABEL].value_counts()
    return list(counts[counts < 2].index[:5])


def _stratified_split(frame: pd.DataFrame, fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept and held-out rows, stratified by label, the hold-out the fraction but at least one row per label."""
    from sklearn.model_selection import train_test_split  # here: the CLI and most stages import this module

    size = max(frame[LABEL].nunique(), round(len(frame) * fraction))
    return train_test_split(frame, test_size=size, stratify=frame[LABEL], random_state=seed)


def _stratified_sample(frame: pd.DataFrame, fraction: float, seed: int) -> pd.DataFrame:
    if fraction >= 1.0:
        return frame
    # At least two examples per label survive, so every class can still be split for validation.
    parts = [
        group.sample(n=max(2, round(len(group) * fraction)), random_state=seed) if len(group) > 2 else group
        for _, group in frame.groupby(LABEL, sort=True)
    ]
    return pd.concat(parts).sort_index()


def prepare(params: DataParams, root: Path, seed: int) -> Splits:
    """Validated, sampled, de-duplicated train / validation / test splits."""
    train, test = load_and_check(params, root, seed)
    train = _stratified_sample(train, params.sample_fraction, seed)
    test = _stratified_sample(test, params.sample_fraction, seed)
    leaked = test[TEXT].str.strip().str.lower().isin(set(train[TEXT].str.strip().str.lower()))
    removed = int(leaked.sum()) if params.drop_test_duplicates else 0
    if params.drop_test_duplicates:
        test = test[~leaked]
    if too_few := _single_example_labels(train):
        raise DataError(
            f"{params.train}: labels {too_few} have fewer than 2 training examples "
            "after sampling; raise data.sample_fraction or add examples."
        )
    fit, validation = _stratified_split(train, params.validation_fraction, seed)
    labels = sorted(train[LABEL].unique())
    return Splits(
        train=fit.reset_index(drop=True),
        validation=validation.reset_index(drop=True),
        test=test.reset_index(drop=True),
        labels=labels,
        duplicates_found=int(leaked.sum()),
        duplicates_removed=removed,
        dataset=params.name,
    )


def data_card(splits: Splits) -> dict[str, object]:
    """The dataset's declared name, counts per split, class balance and text lengths: the facts a reader checks first.

    Later stages read the name here to pick the published results of this dataset (``data.name``).
    """

    def lengths(frame: pd.DataFrame) -> dict[str, float]:
        words = frame[TEXT].str.split().str.len()
        return {
            "mean_words": round(float(words.mean()), 2),
            "median_words": float(words.median()),
            "max_words": int(words.max()),
        }

    per_class = splits.train[LABEL].value_counts()
    return {
        "dataset": splits.dataset,
        "n_labels": len(splits.labels),
        "counts": {"train": len(splits.train), "validation": len(splits.validation), "test": len(splits.test)},
        "train_per_class": {
            "min": int(per_class.min()),
            "median": float(per_class.median()),
            "max": int(per_class.max()),
        },
        "text_length": {name: lengths(getattr(splits, name)) for name in ("train", "validation", "test")},
        "test_duplicates_of_train": {"found": splits.duplicates_found, "removed": splits.duplicates_removed},
    }


def split_table(splits: Splits) -> pd.DataFrame:
    """One row per split and label, for the class-balance figure."""
    parts = [
        getattr(splits, name)[LABEL].value_counts().rename_axis("label").reset_index(name="count").assign(split=name)
        for name in ("train", "validation", "test")
    ]
    return pd.concat(parts, ignore_index=True)
