"""Shared helpers of the language analyzers: path tests, field checks, caps, package building.

Everything here treats its input as hostile: names and versions are checked (length, no
control characters or whitespace), licenses are trimmed and capped, and a file yielding more
packages than ``MAX_PACKAGES`` is refused rather than read on.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found
from seawall.model.inventory import Package

#: Packages one file may yield; more is a hostile or absurd file and is refused.
MAX_PACKAGES = 100_000
#: Longest name or version kept (npm allows 214-character names; others are shorter).
MAX_FIELD = 256
#: Longest license string kept, and how many per package.
MAX_LICENSE = 128
MAX_LICENSES = 16
#: Lines a line-oriented file (requirements, yarn.lock v1, Gemfile.lock) may have.
MAX_LINES = 2_000_000
#: Notes kept per file (the rest are counted in one last note).
MAX_NOTES = 20

# Control characters, whitespace and the replacement character never belong in a name or
# version; U+FFFD means the bytes were not valid UTF-8.
_BAD_FIELD = re.compile(r"[\x00-\x20\x7f-\x9f\s\ufffd]")
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")


def basename(path: str) -> str:
    """The last segment of an image path (cheap: used by ``required``)."""
    return path.rpartition("/")[2]


def under(path: str, *dirs: str) -> bool:
    """Whether any directory of ``path`` is named one of ``dirs``."""
    return any(f"/{d}/" in path for d in dirs)


def in_docs(path: str) -> bool:
    """Whether ``path`` is in the documentation tree, whose lock and requirement files are
    examples shipped with some package, not what the image installed."""
    return path.startswith("/usr/share/doc/")


def decode(file: FileInput, data: bytes) -> str:
    """Strict UTF-8 text (a leading BOM dropped); ``AnalyzerError`` on invalid bytes or NUL."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnalyzerError(f"{file.path}: not valid UTF-8 (byte {exc.start})") from None
    if "\x00" in text:
        raise AnalyzerError(f"{file.path}: contains NUL bytes, not a text file")
    return text.removeprefix("\ufeff")


def iter_lines(text: str, path: str | None = None, limit: int | None = None) -> Iterator[str]:
    """The lines of ``text`` without their ends, one at a time (never a list of them all).

    With ``path``, more than ``limit`` (default ``MAX_LINES``) lines is an ``AnalyzerError``;
    without, iteration just stops there.
    """
    limit = MAX_LINES if limit is None else limit
    for count, line in enumerate(io.StringIO(text)):
        if count >= limit:
            if path is not None:
                raise AnalyzerError(f"{path}: more than {limit} lines, refused")
            return
        yield line.rstrip("\r\n")


def clean(value: object) -> str | None:
    """A usable name or version: a non-empty string of visible, non-space characters."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_FIELD or _BAD_FIELD.search(value):
        return None
    # Invisible format characters (bidi overrides, zero-width joiners) would let a name
    # display as another one; no ecosystem's names need them.
    if not value.isascii() and any(unicodedata.category(c) == "Cf" for c in value):
        return None
    return value


def clean_licenses(values: Iterable[object]) -> tuple[str, ...]:
    """Trimmed, de-duplicated, single-line license strings (at most ``MAX_LICENSES``)."""
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        text = value.strip()
        if not text or len(text) > MAX_LICENSE or _BAD_TEXT.search(text) or text in out:
            continue
        out.append(text)
        if len(out) == MAX_LICENSES:
            break
    return tuple(out)


def as_dict(value: object) -> Mapping[str, object]:
    """``value`` if it is a JSON/TOML/YAML mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


@dataclass(slots=True)
class Collector:
    """Builds the ``Found`` of one file: de-duplicated packages, capped count, capped notes."""

    analyzer: str
    file: FileInput
    ecosystem: str
    packages: dict[tuple[str, str], Package] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped_notes: int = 0

    def add(
        self,
        name: str,
        version: str,
        purl: str,
        *,
        licenses: tuple[str, ...] = (),
        properties: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Record one package (the first of a repeated name and version wins)."""
        if (name, version) in self.packages:
            return
        if len(self.packages) >= MAX_PACKAGES:
            raise AnalyzerError(f"{self.file.path}: more than {MAX_PACKAGES} packages, refused")
        self.packages[(name, version)] = Package(
            name=name,
            version=version,
            ecosystem=self.ecosystem,
            purl=purl,
            analyzer=self.analyzer,
            path=self.file.path,
            licenses=licenses,
            properties=properties,
        )

    def note(self, message: str) -> None:
        """Record why something was skipped (prefixed with the file's path)."""
        if len(self.notes) < MAX_NOTES:
            self.notes.append(f"{self.file.path}: {message}")
        else:
            self.dropped_notes += 1

    def found(self) -> Found:
        """The packages (in file order) and notes."""
        notes = list(self.notes)
        if self.dropped_notes:
            notes.append(f"{self.file.path}: {self.dropped_notes} more entries skipped")
        return Found(packages=tuple(self.packages.values()), notes=tuple(notes))
