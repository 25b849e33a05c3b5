"""The data section of the parameters: which intent dataset to read and how to split it.

It lives beside the data code; ``startup_report.params`` composes it with the other sections.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from startup_report.engine.layout import MAX_NAME
from startup_report.section import Section


class DataParams(Section):
    """Which intent dataset to read and how to split it."""

    name: str = Field(
        "banking77",
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        max_length=MAX_NAME,
        description="Name of the dataset in `train` (lower case, digits, `_.-`): the report sets published results "
        "beside ours only from rows of data/literature/*.csv whose `dataset` column equals it, so set it when "
        "`train` is another dataset (a name without published rows shows none).",
    )
    train: str = Field(
        "data/raw/banking77/train.csv", description="Training file (CSV or Parquet), relative to the project root."
    )
    test: str | None = Field(
        "data/raw/banking77/test.csv",
        description="Test file; null makes a stratified test split of `train` by seed.",
    )
    text_column: str = Field("text", min_length=1, description="Column holding the message text.")
    label_column: str = Field("category", min_length=1, description="Column holding the intent label.")
    sample_fraction: float = Field(
        1.0, gt=0.0, le=1.0, description="Stratified fraction of train and test to keep (smoke runs use less)."
    )
    test_fraction: float = Field(0.2, gt=0.0, lt=0.5, description="Test share when `test` is null.")
    validation_fraction: float = Field(
        0.1, gt=0.0, lt=0.5, description="Share of the training data held out for early stopping."
    )
    drop_test_duplicates: bool = Field(
        False,
        description="Remove test texts that also occur in train (leakage) instead of only reporting them. Off by "
        "default: published BANKING77 results score all 3,080 test messages, so ours do too; the training chapter "
        "reports the best models' accuracy without the duplicates beside it (6 on BANKING77).",
    )

    @model_validator(mode="after")
    def _two_columns(self) -> DataParams:
        if self.text_column == self.label_column:  # the model would read the answer
            raise ValueError(f"data.text_column and data.label_column are both {self.text_column!r}; name two columns")
        return self
