from pathlib import Path

import pandas as pd
import pytest

from startup_report.data.dataset import DataError, data_card, prepare
from startup_report.params import DataParams


def _write(path: Path, rows: list[tuple[str, str]], columns=("text", "category")) -> str:
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path.name


def _rows(n_labels=3, per_label=10, prefix=""):
    return [
        (f"{prefix}message {i} about topic {label}", f"intent_{label}")
        for label in range(n_labels)
        for i in range(per_label)
    ]


def test_prepare_splits_stratified_and_reports_leaks(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    test_rows = _rows(per_label=3, prefix="test ") + [("message 0 about topic 1", "intent_1")]
    test = _write(tmp_path / "test.csv", test_rows)
    splits = prepare(DataParams(train=train, test=test, validation_fraction=0.2, drop_test_duplicates=True), tmp_path, seed=1)  # noqa: E501
    assert len(splits.train) + len(splits.validation) == 30
    assert set(splits.validation["label"]) == {"intent_0", "intent_1", "intent_2"}
    assert splits.duplicates_found == 1 and splits.duplicates_removed == 1
    assert len(splits.test) == 9
    assert data_card(splits)["counts"] == {"train": 24, "validation": 6, "test": 9}


def test_same_seed_gives_the_same_split(tmp_path):
    train = _write(tmp_path / "train.csv", _rows())
    params = DataParams(train=train, test=None, sample_fraction=0.8)
    a, b = prepare(params, tmp_path, seed=3), prepare(params, tmp_path, seed=3)
    pd.testing.assert_frame_equal(a.train, b.train)
    pd.testing.assert_frame_equal(a.test, b.test)


@pytest.mark.parametrize(
    ("rows", "test_rows", "message"),
    [
        (_rows(), [("hello", "intent_9")], "never seen in training"),
        (_rows() + [("   ", "intent_0")], None, "whitespace-only"),
        (_rows() + [("a message", "")], None, "empty labels"),
    ],
)
def test_bad_datasets_are_rejected_with_file_and_rows(tmp_path, rows, test_rows, message):
    train = _write(tmp_path / "train.csv", rows)
    test = _write(tmp_path / "test.csv", test_rows) if test_rows else None
    with pytest.raises(DataError, match=message) as info:
        prepare(DataParams(train=train, test=test), tmp_path, seed=0)
    assert "train.csv" in str(info.value) or "test.csv" in str(info.value)
    assert "row" in str(info.value)


def test_missing_column_names_the_parameter(tmp_path):
    train = _write(tmp_path / "train.csv", _rows(), columns=("utterance", "category"))
    with pytest.raises(DataError, match=r"no column 'text' \(data.text_column\)"):
        prepare(DataParams(train=train, test=None), tmp_path, seed=0)


def test_undecodable_text_is_rejected(tmp_path):
    path = tmp_path / "train.csv"
    path.write_bytes(b"text,category\n\xff\xfe broken,intent_0\n")
    with pytest.raises(DataError, match="not valid UTF-8"):
        prepare(DataParams(train="train.csv", test=None), tmp_path, seed=0)


def test_the_data_card_carries_the_declared_dataset_name(tmp_path):
    # Later stages choose published results by this name, so it must reach them unchanged.
    train = _write(tmp_path / "train.csv", _rows())
    splits = prepare(DataParams(train=train, test=None, name="my-intents"), tmp_path, seed=0)
    assert data_card(splits)["dataset"] == "my-intents"
    assert data_card(prepare(DataParams(train=train, test=None), tmp_path, seed=0))["dataset"] == "banking77"


def test_a_label_a_stratified_split_cannot_divide_is_named(tmp_path):
    train = _write(tmp_path / "train.csv", _rows() + [("a lonely message", "intent_lonely")])
    with pytest.raises(DataError, match=r"labels \['intent_lonely'\] have a single example.*data.test"):
        prepare(DataParams(train=train, test=None), tmp_path, seed=0)
    test = _write(tmp_path / "test.csv", _rows(per_label=2, prefix="test "))
    with pytest.raises(DataError, match=r"labels \['intent_lonely'\] have fewer than 2 training examples"):
        prepare(DataParams(train=train, test=test, sample_fraction=0.5), tmp_path, seed=0)


def test_by_default_the_test_set_stays_whole_and_its_duplicates_are_counted(tmp_path):
    """Published results score the whole standard test set: the default keeps the duplicates, and reports them."""
    train = _write(tmp_path / "train.csv", _rows())
    test = _write(tmp_path / "test.csv", _rows(per_label=3, prefix="test ") + [("message 0 about topic 1", "intent_1")])
    splits = prepare(DataParams(train=train, test=test, validation_fraction=0.2), tmp_path, seed=1)
    assert len(splits.test) == 10 and splits.duplicates_found == 1 and splits.duplicates_removed == 0
