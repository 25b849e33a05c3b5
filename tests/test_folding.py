"""The site folds code so readers meet narrative, tables and figures first."""

import nbformat

from startup_report.site.folding import FOLD, fold, fold_notebook, readable_parameters


def _code(*tags):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": "x = 1"}


def test_every_code_cell_folds_but_hidden_ones_and_markdown_stay():
    assert fold(cell := _code(), every=True) and cell["metadata"]["tags"] == [FOLD]
    assert not fold(_code("remove-cell"), every=True)
    assert not fold(_code(FOLD), every=True)
    assert not fold({"cell_type": "markdown", "metadata": {}, "source": "# x"}, every=True)


def test_a_chapter_that_shows_its_code_still_folds_the_parameters():
    assert not fold(_code(), every=False)
    assert fold(cell := _code("injected-parameters"), every=False)
    assert cell["metadata"]["tags"] == ["injected-parameters", FOLD]


def test_fold_notebook_tags_the_file_in_place(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# t"),
        nbformat.v4.new_code_cell("1"),
        nbformat.v4.new_code_cell("2"),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    assert fold_notebook(path, every=True) == 2
    tags = [c.metadata.get("tags", []) for c in nbformat.read(path, as_version=4).cells]
    assert tags == [[], [FOLD], [FOLD]]
    assert fold_notebook(path, every=True) == 0  # idempotent


def test_injected_sections_unfold_one_value_to_a_line():
    values = {"facts_dir": "data/market", "cac_usd": 60000.0, "gtm": {"banks": {"cac_usd": 1.0}}, "note": "x" * 90}
    source = f"# Parameters\nseed = 42\nmarket = {values!r}\n"
    shown = readable_parameters(source)
    assert shown.splitlines()[:3] == ["# Parameters", "seed = 42", "market = {'facts_dir': 'data/market',"]
    assert all(len(line) <= 120 for line in shown.splitlines())
    namespace: dict = {}
    exec(shown, namespace)  # noqa: S102 - the same values, laid out
    assert namespace["market"] == values and namespace["seed"] == 42
    assert readable_parameters("x = f(1)") == "x = f(1)"  # not literals: left as it is
