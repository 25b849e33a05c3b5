"""Error messages for bad parameters that say which dotted key is wrong, what is allowed and how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from startup_report.params.schema import Params


class ParamsError(ValueError):
    """Bad parameters: the message names the dotted key, what is allowed and how to fix it."""


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters: a message quotes what the user gave, never a megabyte of it."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(part)[:80] for part in loc)


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Keys valid at the level where an unknown key ``loc`` appeared."""
    model: type[BaseModel] = Params
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _describe(error: Mapping[str, Any]) -> str:
    loc = tuple(error["loc"])
    key = _dotted(loc)
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" Did you mean '{_dotted((*loc[:-1], near[0]))}'?" if near else ""
        where = f"in '{_dotted(loc[:-1])}'" if len(loc) > 1 else "at the top level"
        return f"{key}: unknown key.{hint} Allowed {where}: {', '.join(allowed)}."
    got = error.get("input")
    message = str(error["msg"]).removeprefix("Value error, ")
    if got is None and _is_section(loc):
        return f"{key}: null is not allowed: a section is a mapping of its keys; remove the line to keep the defaults."
    if isinstance(got, Mapping):  # a check across a section's keys: its message names them
        return f"{key}: {message}."
    return f"{key}: {shown(got)} is not allowed: {message}. {_field_help(loc)}".rstrip()


def _is_section(loc: tuple[Any, ...]) -> bool:
    field = Params.model_fields.get(str(loc[0])) if len(loc) == 1 else None
    annotation = getattr(field, "annotation", None)
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_help(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = Params
    field = None
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None:
            return ""
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    if field is None:
        return ""
    return f"({field.description} Default: {field.default!r}.)"


def format_validation_error(exc: ValidationError, origin: str) -> str:
    lines = [f"Invalid parameters ({origin}):"]
    lines += [f"  - {_describe(err)}" for err in exc.errors()]
    lines.append(
        "Fix the value in the parameter file or with -p key=value; `startup-report params --schema` lists all."
    )
    return "\n".join(lines)


