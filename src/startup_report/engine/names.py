"""Names that become files or folders: one safe pattern, one check, one mapping of free text onto it.

A scenario, a sweep or a generated grid name ends up as a folder under ``build/``; a name such as
``/tmp/x`` or ``../..`` would then write outside the project. Every such name passes ``safe_name`` (or is made
by ``slug``) before a path is built from it, and ``inside`` checks the path itself. Display names that never
become paths (a team role, a go-to-market segment) pass ``label``: free text, but bounded and printable.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

MAX_NAME = 80
NAME_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_NAME - 1}}}$"
_NAME = re.compile(NAME_PATTERN)


class UnsafeName(ValueError):
    """A name that cannot be a file or folder name; the message says what is allowed."""


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def safe_name(value: object, field: str) -> str:
    """``value`` when it is a safe file name: a letter or digit, then up to 79 letters, digits, '.', '_' or '-'
    (so no '/', no '..' on its own, no NUL, no absolute path); else UnsafeName naming ``field``."""
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise UnsafeName(
            f"{field}: {shown(value)} is not a safe name: it names a folder, so it must start with a letter or "
            f"digit and hold only letters, digits, '.', '_' or '-', at most {MAX_NAME} characters. Rename it."
        )
    return value


def slug(text: object, limit: int = MAX_NAME) -> str:
    """Free text mapped onto the safe pattern: runs of other characters become '-', accents are dropped, the result
    is cut to ``limit`` (empty text gives 'none'). ``safe_name(slug(x), ...)`` always passes."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-.")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:limit].strip("-.")
    return cleaned or "none"


def label(value: object, field: str, limit: int = MAX_NAME) -> str:
    """A display name (a team role, a segment): 1 to ``limit`` printable characters, no '/' or '\\'."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > limit
        or any(ch in "/\\" or unicodedata.category(ch).startswith("C") for ch in value)
    ):
        raise UnsafeName(
            f"{field}: {shown(value)} is not allowed as a name: use 1 to {limit} printable characters without "
            "'/' or '\\' (e.g. 'ML engineers')."
        )
    return value


def inside(folder: Path, name: str, field: str) -> Path:
    """``folder / name`` after checking the name, and that the result stays inside ``folder``."""
    path = folder / safe_name(name, field)
    if path.resolve().parent != folder.resolve():
        raise UnsafeName(f"{field}: {shown(name)} would leave {folder}; rename it.")
    return path
