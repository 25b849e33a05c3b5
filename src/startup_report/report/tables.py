"""One way to show a table to a reader: ``table(frame, ...)`` in a notebook cell, on every page of the report.

A raw DataFrame printed into the book shows its 0, 1, 2 ... index, ``74800.0000``, ``NaN`` and snake_case
headers. ``table`` returns a :class:`Table` that the notebook (and myst-nb's ``glue``) displays as a plain HTML
table with:

- no index column (a meaningful index, named or not a plain 0..n-1 range, becomes an ordinary first column);
- the headers given in ``columns`` (with their units), or the column name with ``_`` read as a space;
- every value formatted by the kind of its column (``formats``, see :data:`KINDS`): ``usd`` with thousands
  separators, ``pct`` and ``accuracy`` from fractions to percent (accuracy always to one decimal), ``int``,
  ``number``, ``text``, ``date``;
- a missing value (None, NaN, NaT, +-inf where it is not a number a reader can use) shown as "—", and a note
  under the table saying why (``missing_note``);
- sources as the publisher's name linked to its page (``sources``), never a column of raw URLs;
- long tables sortable by a click on a header (``sortable``), by a small script the site ships.

Library: pandas' ``Styler`` (pandas and jinja2 are already pinned). It writes the whole table into the page
as static HTML, so the table reads without JavaScript, prints into the PDF in full, is found by the site's
search and can be checked by the page check for ``NaN`` and the like. itables (DataTables) was the other
candidate in the lock: it fills its table in the browser from JSON, so a printed or searched page misses the
rows it pages away, and its 600 kB bundle is an ES module, which Chromium does not load from a ``file://``
site. great_tables is not in the lock and writes the same kind of static HTML as the Styler. Sorting is the
only thing a static table lacks: ``site/assets/sortable.js`` (no dependencies, no network) sorts a table
with the ``sr-sortable`` class by the numbers or words in the clicked column.

The API (``table``, ``Table``, ``KINDS``) is kept small and stable: other chapters render their tables with it.
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

import pandas as pd
from pandas.io.formats.style import Styler

MISSING = "—"
DEFAULT_MISSING_NOTE = "— marks a value that does not exist for that row."
SORTABLE_ROWS = 15  # tables longer than this are sortable unless ``sortable`` says otherwise


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return math.isnan(float(value))
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: not missing
        return False


def _number(value: float, digits: int | None) -> str:
    """A plain number with thousands separators; ``digits`` None picks them from the size of the number."""
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 1000 or float(value).is_integer() else 2 if size >= 1 else 3
        if 0 < size < 0.001:
            return _minus(f"{value:.2e}")
    return _minus(f"{value:,.{digits}f}")


def _minus(text: str) -> str:
    """A typographic minus, which does not wrap away from its number."""
    return text.replace("-", "−") if text.startswith("-") else text


def _usd(value: float, digits: int | None) -> str:
    if digits is None:
        digits = 2 if abs(value) < 100 and not float(value).is_integer() else 0
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.{digits}f}"


def _usd_millions(value: float, digits: int | None) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.{1 if digits is None else digits}f} m"


def _pct(value: float, digits: int | None) -> str:
    return _minus(f"{value * 100:,.{1 if digits is None else digits}f} %")


def _int(value: float, digits: int | None) -> str:
    return _minus(f"{round(value):,d}")


def _date(value: Any, digits: int | None) -> str:
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: Any, digits: int | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value, digits)
    if isinstance(value, tuple | list):
        return ", ".join(_text(item, digits) for item in value)
    return str(value)


Formatter = Callable[[Any, int | None], str]

#: The kinds a column can be formatted as; a kind may carry its number of decimals after a colon ("usd:0").
#: usd: dollars with thousands separators ($74,800; $0.85 below $100); usd_m: millions of dollars ($12.3 m);
#: pct: a fraction shown in percent (0.123 -> 12.3 %); accuracy: a fraction in percent, one decimal;
#: int: a count (12,345); number: a plain number; text: as it is (True -> yes); date: YYYY-MM-DD.
KINDS: dict[str, Formatter] = {
    "usd": _usd,
    "usd_m": _usd_millions,
    "pct": _pct,
    "accuracy": lambda value, digits: _pct(value, 1 if digits is None else digits),
    "int": _int,
    "number": _number,
    "text": _text,
    "date": _date,
}
NUMERIC = {"usd", "usd_m", "pct", "accuracy", "int", "number"}


def _kind(spec: str | Formatter) -> tuple[Formatter, int | None, bool]:
    """The formatter, its decimals and whether it takes numbers, from a kind such as ``"pct:2"`` or a callable."""
    if callable(spec):
        return spec, None, False
    name, _, digits = spec.partition(":")
    if name not in KINDS:
        raise ValueError(f"table: unknown format kind {spec!r}; use one of {sorted(KINDS)} (e.g. 'usd:0')")
    return KINDS[name], int(digits) if digits else None, name in NUMERIC


def _default_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def _header(name: Any) -> str:
    """A readable header from a column name: tuples (from concatenated frames) joined, ``_`` read as a space."""
    if isinstance(name, tuple):
        return ": ".join(_header(part) for part in name if str(part) != "")
    return str(name).replace("_", " ")


def publisher(url: str) -> str:
    """A publisher's name from its page's address, for sources that give only a URL: www.gartner.com -> gartner.com."""
    host = urlparse(url).netloc or url
    return host.removeprefix("www.")


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as ordinary columns (or dropped when it is a plain 0..n-1 range)."""
    index = frame.index
    plain_range = (
        isinstance(index, pd.RangeIndex) and index.name is None and index.start == 0 and index.step == 1
    )
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [tuple(str(part) for part in col) for col in frame.columns]
    if plain_range:
        return frame.reset_index(drop=True)
    names = [name if name is not None else "" for name in index.names]
    if len(names) == 1 and names[0] == "" and "" in frame.columns:
        names = [" "]
    frame.index = frame.index.set_names(names)
    return frame.reset_index()


@dataclass(frozen=True)
class Table:
    """A table ready to show: ``display(Table)`` or a cell's last value renders it; ``glue`` stores its HTML.

    ``data`` holds the values (the columns shown, with the headers shown), ``text`` the same cells as the
    reader sees them (formatted, "—" where missing), ``html`` the rendered table and ``notes`` the sentences
    under it.
    """

    data: pd.DataFrame
    text: pd.DataFrame
    html: str
    notes: tuple[str, ...] = field(default=())

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the plain-text view (a terminal, a notebook's text/plain): as formatted
        lines = [self.text.to_string(index=False), *self.notes]
        return "\n".join(lines)


def table(
    frame: pd.DataFrame | pd.Series,
    *,
    columns: Mapping[Any, str] | Sequence[Any] | None = None,
    formats: Mapping[Any, str | Formatter] | None = None,
    sources: str | tuple[str, str] | None = None,
    missing_note: str | None = None,
    sortable: bool | None = None,
    caption: str | None = None,
    notes: Sequence[str] = (),
) -> Table:
    """Render ``frame`` for a reader; see the module docstring for what the page shows.

    Args:
        frame: the data; its index is shown as a first column only when it means something (named, or not
            a plain 0..n-1 range). A Series is shown as a one-column table.
        columns: which columns to show and in what order: a list of names, or a mapping of name -> header
            (give units in the header, e.g. ``{"cost_usd": "cost per contact (USD)"}``). Default: all.
        formats: column name -> kind from :data:`KINDS` (``"usd"``, ``"pct:2"``, ``"accuracy"`` ...) or a
            callable ``(value, digits) -> str``. Unnamed columns: integers as ``int``, floats as ``number``,
            the rest as ``text``.
        sources: the column of source URLs, shown as the publisher's name (the host) linked to the page; or
            a pair ``(name column, URL column)`` whose names become the links. The URL column is not shown.
        missing_note: why a value may be missing, printed under the table when one is ("—" in the cell).
        sortable: whether the reader can sort by clicking a header; default: tables over 15 rows.
        caption: a sentence above the table.
        notes: more sentences printed under the table (e.g. what a column means).
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    flat = _flatten(frame)
    formats = dict(formats or {})

    link_column = name_column = None
    if sources is not None:
        name_column, link_column = (None, sources) if isinstance(sources, str) else sources
        for col in (name_column, link_column):
            if col is not None and col not in flat.columns:
                raise KeyError(f"table: sources column {col!r} is not among {list(flat.columns)}")

    if columns is None:
        chosen = [c for c in flat.columns if c != link_column]
        if name_column is None and link_column is not None:
            chosen.append(link_column)  # the links take the URL column's place at the end
        headers = {c: _header(c) for c in chosen}
    else:
        chosen = list(columns)
        missing = [c for c in chosen if c not in flat.columns]
        if missing:
            raise KeyError(f"table: columns {missing} are not among {list(flat.columns)}")
        headers = {c: (columns[c] if isinstance(columns, Mapping) else _header(c)) for c in chosen}
    if link_column is not None and name_column is None and link_column in headers:
        headers[link_column] = "source" if columns is None else headers[link_column]

    if len(set(headers.values())) < len(headers):
        raise ValueError(f"table: two columns would share a header: {list(headers.values())}")
    shown = flat[chosen]
    cells: dict[Any, list[str]] = {}
    plain: dict[Any, list[str]] = {}
    any_missing = False
    for col in chosen:
        spec = formats.get(col, _default_kind(shown[col]))
        formatter, digits, numeric = _kind(spec)
        out, words = [], []
        for row, value in enumerate(shown[col].tolist()):
            if _is_missing(value):
                any_missing = True
                out.append(f'<span class="sr-missing" title="no value">{MISSING}</span>')
                words.append(MISSING)
                continue
            if numeric and isinstance(value, numbers.Real) and math.isinf(float(value)):
                out.append("∞" if value > 0 else "−∞")
                words.append(out[-1])
                continue
            words.append(formatter(value, digits))
            text = html.escape(words[-1])
            if col in (link_column, name_column):
                url = flat[link_column].iloc[row]
                if not _is_missing(url) and str(url).startswith(("http://", "https://")):
                    label = text if col == name_column else html.escape(publisher(str(url)))
                    text = f'<a href="{html.escape(str(url), quote=True)}" rel="noopener">{label}</a>'
            out.append(text)
        cells[col] = out
        plain[col] = words

    display = pd.DataFrame({headers[c]: cells[c] for c in chosen}, columns=[headers[c] for c in chosen])
    data = shown.rename(columns=headers)
    numeric_columns = [
        headers[c] for c in chosen if _kind(formats.get(c, _default_kind(shown[c])))[2]
    ]

    all_notes = list(notes)
    if any_missing:
        all_notes.insert(0, missing_note or DEFAULT_MISSING_NOTE)
    if sortable is None:
        sortable = len(display) > SORTABLE_ROWS
    classes = "sr-table sr-sortable" if sortable else "sr-table"

    # A stable id from the content, so the same table renders to the same bytes on every run.
    uuid = hashlib.sha256(display.to_json().encode() + classes.encode()).hexdigest()[:10]
    styler = Styler(display, uuid=uuid, cell_ids=False).hide(axis="index")
    kinds = pd.DataFrame("", index=display.index, columns=display.columns)
    for col in numeric_columns:
        kinds[col] = "sr-num"
    styler = styler.set_td_classes(kinds).set_table_attributes(f'class="{classes}"')
    if caption:
        styler = styler.set_caption(html.escape(caption))
    body = styler.to_html()  # cells are escaped above; the links are ours
    foot = "".join(f'<p class="sr-table-note">{html.escape(note)}</p>' for note in all_notes)
    rendered = f'<div class="sr-table-wrap">{body}{foot}</div>'
    text = pd.DataFrame({headers[c]: plain[c] for c in chosen}, columns=[headers[c] for c in chosen])
    return Table(data=data.reset_index(drop=True), text=text, html=rendered, notes=tuple(all_notes))
