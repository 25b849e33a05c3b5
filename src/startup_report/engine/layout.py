"""Where things live: the project root and the folders derived from it (never typed in notebooks)."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Names that become files or folders: a scenario, a sweep or a generated grid name ends up as a folder under
# ``build/``, where ``/tmp/x`` or ``../..`` would write outside the project. Every such name passes ``safe_name``
# (or is made by ``slug``) before a path is built from it, and ``inside`` checks the path itself. Display names
# that never become paths (a team role, a go-to-market segment) pass ``label``: free text, bounded and printable.
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


def slug(text: object, limit: int = MAX_NAME, keep: str = "") -> str:
    """Free text mapped onto the safe pattern: runs of characters other than letters, digits, '.' and ``keep``
    ('_' or nothing) become '-', accents are dropped, the result is cut to ``limit`` (empty text gives 'none').
    ``safe_name(slug(x), ...)`` always passes."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    cleaned = re.sub(rf"[^A-Za-z0-9.{re.escape(keep)}]+", "-", ascii_text).strip("-._")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:limit].strip("-._")
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


class LayoutError(RuntimeError):
    """The project or the machine cache is not where the environment says (exit 2); the message says the fix."""


class ProjectNotFound(LayoutError):
    """Raised when no project root (a folder with params/default.yaml and _toc.yml) is found."""


def find_root(start: Path | None = None) -> Path:
    """The project root: $STARTUP_REPORT_ROOT, else the nearest parent of ``start`` holding the chain."""
    env = os.environ.get("STARTUP_REPORT_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "params" / "default.yaml").is_file() and (candidate / "_toc.yml").is_file():
            return candidate
    raise ProjectNotFound(
        f"No project root above {here}: run from the report's folder (it holds params/default.yaml "
        "and _toc.yml) or set STARTUP_REPORT_ROOT."
    )


def machine_cache() -> Path:
    """Caches per machine, shared by checkouts and runs (embeddings, compiled XLA programs):
    $STARTUP_REPORT_CACHE, else ~/.cache/startup-report."""
    return Path(os.environ.get("STARTUP_REPORT_CACHE", Path.home() / ".cache" / "startup-report"))


def check_machine_cache() -> Path:
    """The machine cache, refused up front (LayoutError) when $STARTUP_REPORT_CACHE names something that is not
    a folder (a file, a device) or cannot be one: every stage that caches would otherwise fail mid-run."""
    path = machine_cache()
    if "\0" in str(path):
        raise LayoutError("STARTUP_REPORT_CACHE holds a NUL character; set it to a folder path or unset it.")
    if path.exists() and not path.is_dir():
        raise LayoutError(
            f"STARTUP_REPORT_CACHE={path} is not a folder; point it at a folder (created when missing) or unset it "
            "(default: ~/.cache/startup-report)."
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise LayoutError(f"STARTUP_REPORT_CACHE={path}: {parent} is a file, so the folder cannot be made.")
            break
    return path


@dataclass(frozen=True)
class Layout:
    """The folders of one project checkout, or of one scenario of a sweep inside it.

    A scenario's layout has the same root (notebooks get paths relative to it, so they work unchanged) and
    its own build folder, ``build/scenarios/<name>``; the content-addressed cache stays the project's, so
    every scenario shares its training runs and stages.
    """

    root: Path
    build_dir: Path | None = None

    @property
    def build(self) -> Path:
        return self.build_dir if self.build_dir is not None else self.root / "build"

    def scenario(self, name: str) -> Layout:
        """The layout of one scenario of a sweep: its own build folder, the project's cache (a name that is not
        a safe folder name is refused: names.UnsafeName)."""
        return Layout(self.root, inside(self.scenarios, name, "scenario"))

    @property
    def scenarios(self) -> Path:
        return self.root / "build" / "scenarios"

    @property
    def sweeps(self) -> Path:
        """Each sweep's record and comparison page, ``build/sweeps/<sweep>/`` (the book adds them)."""
        return self.root / "build" / "sweeps"

    @property
    def manifest(self) -> Path:
        return self.build / "manifest.json"

    @property
    def lock(self) -> Path:
        return self.build / ".lock"

    @property
    def cache(self) -> Path:
        """Content-addressed results shared by every run and scenario of this checkout (training runs, stages)."""
        return self.root / "build" / "cache"

    @property
    def failed(self) -> Path:
        return self.build / "failed"

    @property
    def staging(self) -> Path:
        return self.build / ".staging"

    @property
    def site(self) -> Path:
        return self.root / "_build" / "html"

    def stage_dir(self, name: str) -> Path:
        return self.build / name

    def portable(self, path: Path) -> str:
        """A path as a stage key sees it: inside the build folder relative to it (so a scenario's upstream
        outputs name the same as the project's), else relative to the root."""
        try:
            return "build:" + path.resolve().relative_to(self.build.resolve()).as_posix()
        except ValueError:
            return self.rel(path)

    def rel(self, path: Path) -> str:
        """A path as shown to users and stored in the manifest: relative to the root when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
