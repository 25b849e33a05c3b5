"""The chain's declarations: which published results a stage reads follows `data.name`, never the data path."""

import pytest

from startup_report import chain
from startup_report.params import Params, ParamsError, load_params
from tests.conftest import ROOT


def _names(files):
    return [path.name for path in files]


def _params(**data):
    return Params(data={**Params().data.model_dump(), **data})


def test_banking77_reads_both_published_tables_and_the_measured_levers():
    training, evaluation = chain.STAGE_BY_NAME["training"], chain.STAGE_BY_NAME["evaluation"]
    assert _names(training.external_inputs(Params(), ROOT)) == [
        "banking77_published.csv", "fewshot10.csv", "fewshot30.csv", "fewshotfull.csv"
    ]
    assert _names(evaluation.external_inputs(Params(), ROOT)) == [
        "llm_prices.csv", "compute.csv", "open_intent_zhang2021.csv", "openintent.csv"
    ]


def test_another_dataset_reads_no_published_table_even_from_a_banking77_folder():
    params = _params(name="travel-intents")  # same BANKING77 files, declared as another dataset
    assert chain.STAGE_BY_NAME["training"].external_inputs(params, ROOT) == []
    assert _names(chain.STAGE_BY_NAME["evaluation"].external_inputs(params, ROOT)) == ["llm_prices.csv", "compute.csv"]


def test_the_path_alone_does_not_decide():
    params = _params(train="tests/data/travel_intents.csv", test=None)  # name left at banking77: declared, used
    assert _names(chain.STAGE_BY_NAME["training"].external_inputs(params, ROOT))[0] == "banking77_published.csv"


def test_a_published_table_with_rows_of_the_declared_dataset_becomes_an_input(tmp_path):
    (tmp_path / "data/literature").mkdir(parents=True)
    (tmp_path / chain.LITERATURE).write_text("dataset,paper,model,budget,accuracy\nclinc150,P,m,10,0.9\n")
    assert chain.STAGE_BY_NAME["training"].external_inputs(_params(name="clinc150"), tmp_path) == [
        tmp_path / chain.LITERATURE
    ]
    assert chain.STAGE_BY_NAME["training"].external_inputs(_params(name="banking77"), tmp_path) == []


@pytest.mark.parametrize("bad", ["", "BANKING 77", "../x"])
def test_a_bad_dataset_name_is_rejected_naming_the_key(bad):
    with pytest.raises(ParamsError, match=r"data\.name"):
        load_params(ROOT, [], [f"data.name={bad}"])
