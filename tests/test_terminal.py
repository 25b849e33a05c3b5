"""A training run's progress line: once in the notebook, once on the terminal that runs the chain."""

import nbformat
import papermill as pm
import pytest


def _run_cell(folder, code: str, **options) -> list:
    """Execute ``code`` as a one-cell notebook in a fresh kernel; the cell's outputs."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "in.ipynb")
    pm.execute_notebook(
        str(folder / "in.ipynb"), str(folder / "out.ipynb"), kernel_name="python3", progress_bar=False, **options
    )
    return nbformat.read(folder / "out.ipynb", 4).cells[0].outputs


@pytest.mark.parametrize("fd_capture", [True, False], ids=["kernel-captures-fd2", "kernel-leaves-fd2"])
def test_progress_line_reaches_the_notebook_and_the_terminal_once(tmp_path, capfd, monkeypatch, fd_capture):
    if fd_capture:  # ipykernel captures fd 2 (and echoes it) except under pytest, where it leaves it alone
        monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    outputs = _run_cell(tmp_path, "from startup_report.modeling.grid import terminal\nterminal('[1/1] x')")
    assert [(o.name, o.text) for o in outputs] == [("stdout", "[1/1] x\n")]
    assert capfd.readouterr().err.count("[1/1] x") == 1


def test_a_kernel_with_the_engines_environment_prints_no_tqdm_notice(tmp_path, monkeypatch):
    """transformers, datasets and setfit import tqdm.auto, which warns in a kernel without ipywidgets; in
    whichever cell imports them first, that notice would be the chapter's stderr in the book."""
    from startup_report.chain import KERNEL_ENV

    for name, value in KERNEL_ENV.items():
        monkeypatch.setenv(name, value)
    assert _run_cell(tmp_path, "import tqdm.auto") == []


def test_engine_kernels_talk_over_sockets_in_their_own_folder(tmp_path):
    """No TCP ports: two kernels starting at once could pick the same free port (seen in CI)."""
    from startup_report.engine.stagerun import kernel_config

    code = "import json\nfrom ipykernel import get_connection_info\nprint(json.loads(get_connection_info())['ip'])"
    sockets = tmp_path / "sockets"
    sockets.mkdir()
    outputs = _run_cell(tmp_path, code, config=kernel_config(sockets))
    assert outputs[0].text.strip() == str(sockets / "kernel")
