"""An executed notebook as one static HTML page: what a sweep's comparison links to for each scenario.

A sweep can hold dozens of scenarios; building each one's notebooks as book chapters would multiply the
book's build time and its glue keys, so each distinct executed notebook becomes a self-contained page
instead (markdown rendered, code, text, tables and figures inlined, no scripts, nothing fetched).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
_FIGURE = re.compile(r"(`{3,}|:{3,})\{glue(?::figure)?\}\s*(\S+)(.*?)\1", re.S)
RECORD = "application/papermill.record/"
STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "pre{overflow-x:auto;background:#f6f8fa;padding:.5rem}pre.out{background:#fff;border-left:3px solid #ddd}"
    "img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px}"
)


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _glued(notebook) -> dict[str, dict]:
    """Each glued value by name, its MIME bundle without papermill's prefix."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = {k.removeprefix(RECORD): v for k, v in output.get("data", {}).items()}
    return values


def _markdown(source: str, glued: dict[str, dict], markdown) -> str:
    """Markdown with glue roles replaced by their values and glue figures by their images."""

    def figure(match: re.Match) -> str:
        data = glued.get(match.group(2), {})
        caption = re.sub(r"^:\w+:.*$", "", match.group(3), flags=re.M).strip()
        image = _output({"output_type": "display_data", "data": data}, markdown) if data else ""
        return f"\n\n{image}\n\n{caption}\n\n"

    def role(match: re.Match) -> str:
        text = _text(glued.get(match.group(1), {}).get("text/plain", match.group(1)))
        return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text

    return markdown.render(_ROLE.sub(role, _FIGURE.sub(figure, source)))


def _output(output: dict, markdown) -> str:
    kind = output.get("output_type")
    if "scrapbook" in output.get("metadata", {}):
        return ""  # glued: shown where the page refers to it
    if kind == "stream":
        return f'<pre class="out">{html.escape(_text(output.get("text", "")))}</pre>'
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f'<pre class="out">{html.escape(trace)}</pre>'
    data = output.get("data", {})
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{_text(data["image/png"]).strip()}">'
    if "text/html" in data:
        return re.sub(r"<script.*?</script>", "", _text(data["text/html"]), flags=re.S)
    if "text/markdown" in data:
        return markdown.render(_text(data["text/markdown"]))
    if "text/plain" in data:
        return f'<pre class="out">{html.escape(_text(data["text/plain"]))}</pre>'
    return ""


_CHAPTER_LINK = re.compile(r'href="(?![a-z]+:|/|#)([^"#]+)\.(?:ipynb|md)(#[^"]*)?"')


def chapter_links(page: str, folder: str, to_root: str) -> str:
    """Links to the book's own chapters (``02-model-build.ipynb``, ``../book/math.ipynb``), written relative to the
    notebook's ``folder``, pointed at those chapters' pages in the site from a page ``to_root`` below its root."""

    def point(match: re.Match) -> str:
        target = Path(folder, match.group(1)).as_posix()
        parts: list[str] = []
        for part in target.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        return f'href="{to_root}{"/".join(parts)}.html{match.group(2) or ""}"'

    return _CHAPTER_LINK.sub(point, page)


def render(path: Path, title: str, folder: str = "notebooks", to_root: str = "../../") -> str:
    """The whole page for one executed notebook (``folder``: where its source lives in the book, so that its links
    to other chapters lead to the report's chapters; ``to_root``: from the page's folder to the site's root)."""
    import nbformat
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
    notebook = nbformat.read(path, as_version=4)
    glued = _glued(notebook)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(_markdown(cell.source, glued, markdown))
        elif cell.cell_type == "code":
            parts.append(f"<pre>{html.escape(cell.source)}</pre>")
            parts += [_output(output, markdown) for output in cell.get("outputs", [])]
    body = chapter_links("\n".join(parts), folder, to_root)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n" + body + "\n</body></html>\n"
    )
