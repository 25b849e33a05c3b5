"""What a notebook receives: each section as one dict, read back as its validated object, by the runner or by hand."""

import pytest
from papermill.translators import PythonTranslator

from startup_report.chain import ALL
from startup_report.params import Params, ParamsError, load_params, notebook_values, section
from tests.conftest import ROOT


@pytest.mark.parametrize("profile", [[], ["params/smoke.yaml"], ["params/fewshot30.yaml"]])
def test_what_the_runner_passes_validates_back_to_the_same_sections(profile):
    params = load_params(ROOT, [ROOT / p for p in profile], ["market.cac_usd=60000", "data.test=null"])
    for stage in ALL:
        passed = notebook_values(params, stage.keys)
        namespace: dict = {}
        exec(PythonTranslator.codify(passed), namespace)  # the cell papermill injects  # noqa: S102
        assert set(passed) == set(stage.keys)
        for key in stage.keys:
            received = namespace[key]
            assert (section(key, received) if isinstance(received, dict) else received) == getattr(params, key)


def test_an_empty_section_is_the_default_and_a_partial_one_changes_only_its_keys():
    assert section("market", {}) == Params().market == section("market")
    changed = section("market", {"cac_usd": 60000, "as_of": "2026-01-31"})
    assert (changed.cac_usd, changed.as_of) == (60000, "2026-01-31")
    assert changed.model_copy(update={"cac_usd": Params().market.cac_usd, "as_of": Params().market.as_of}) == (
        Params().market
    )


def test_a_bad_value_given_by_hand_names_the_dotted_key_and_the_fix():
    with pytest.raises(ParamsError, match=r"market\.cac_usd: -5 is not allowed") as info:
        section("market", {"cac_usd": -5})
    assert "notebook's `market` parameter" in str(info.value)
    with pytest.raises(ParamsError, match=r"training\.epoch: unknown key\. Did you mean 'training\.epochs'"):
        section("training", {"epoch": 3})
    with pytest.raises(ParamsError, match="not a parameter section"):
        section("seed", {})
    with pytest.raises(ParamsError, match="must be a mapping"):
        section("market", [1, 2])  # type: ignore[arg-type]
