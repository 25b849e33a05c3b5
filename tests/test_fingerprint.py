"""A stage's code key: the package modules its notebook reaches through imports, and nothing else."""

import json

from startup_report.engine import fingerprint

CODE = fingerprint.Code.of("startup_report")


def test_imports_are_followed_transitively_from_a_notebook(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "code", "source": ["from startup_report.report import plots\n", "import numpy\n"]}]
    notebook.write_text(json.dumps({"cells": cells}))
    code = CODE.notebook_code(notebook)
    assert "startup_report.report.plots" in code and "startup_report.report" in code
    startup = {"startup_report.modeling", "startup_report.modeling.compilecache", "startup_report.modeling.machine"}
    assert {name for name in code if name.startswith("startup_report.modeling")} == startup  # __init__'s XLA cache
    assert not any(name.startswith("startup_report.market") for name in code)


def test_lazy_imports_inside_functions_count():
    reached = CODE.closure(["startup_report.modeling.zoo"])
    assert "startup_report.modeling.finetune" in reached  # imported inside zoo.build


def test_symbols_are_not_mistaken_for_modules():
    found = CODE.imports_in_source("from startup_report.engine.layout import Layout\n")
    assert found == {"startup_report.engine.layout"}


def test_changed_names_modules_added_removed_or_edited():
    assert fingerprint.changed({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == ["b", "c"]
    assert fingerprint.changed({"a": "1"}, {"a": "1"}) == []


def test_environment_lists_installed_distributions_but_not_this_project():
    env = fingerprint.environment(fingerprint._distributions_of("startup_report"))
    assert "keras" in env and "numpy" in env and "startup-report" not in env
    assert "startup-report" in fingerprint.environment()


def test_imports_are_read_from_each_modules_source():
    for path in sorted(CODE.folder.rglob("*.py")):
        parts = path.relative_to(CODE.folder.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        assert CODE.module_file(name) == path
        assert CODE.imports(name) == CODE.imports_in_source(path.read_text(encoding="utf-8")), name


def test_a_package_is_found_without_importing_it():
    code = fingerprint.Code.of("startup_report")
    assert code == CODE and (code.folder / "__init__.py").is_file()
    assert code.module_file("othername.engine") is None
