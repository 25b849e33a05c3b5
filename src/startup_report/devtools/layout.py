"""The module table of docs/architecture.md, generated from the package: every module with its docstring's first line.

`python -m startup_report.devtools.layout --write` rewrites the table between the page's markers; a test
fails when a module is added, moved or renamed without it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
PAGE = Path("docs") / "architecture.md"
START, END = "<!-- modules:start -->", "<!-- modules:end -->"


def modules() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        name = path.relative_to(PACKAGE.parent).as_posix()
        rows.append((name, doc.split("\n\n")[0].replace("\n", " ").replace("|", "\\|")))
    return rows


def table() -> str:
    lines = ["| module | what it holds |", "| --- | --- |"]
    lines += [f"| `{name}` | {doc} |" for name, doc in modules()]
    return "\n".join(lines)


def rewrite(page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table()}\n{END}{tail}"
    changed = new != text
    page.write_text(new, encoding="utf-8")
    return changed


def current(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


if __name__ == "__main__":
    if "--write" in sys.argv:
        rewrite(Path.cwd() / PAGE)
    else:
        print(table())
