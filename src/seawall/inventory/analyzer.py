"""The analyzer registration pattern: one module per file type, declared with ``@analyzer``.

An analyzer says which files it wants (``required(path)``, called for every entry of every
layer, so it must be cheap and pure) and turns one such file into packages (``analyze``).
Its ``version`` is part of the cache key: bump it whenever its output could change.
Analyzers are pure: they read the ``FileInput`` they are given and nothing else (no host
files, no network, no engine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from seawall.errors import RegistryError, SeawallError
from seawall.model.inventory import OSInfo, Package

_ID = re.compile(r"^[a-z][a-z0-9-]{1,30}$")

#: Default cap on one file an analyzer reads (bigger files are skipped with a note).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class AnalyzerError(SeawallError):
    """A file an analyzer wanted is damaged or hostile; the pipeline notes it and goes on."""


@dataclass(frozen=True, slots=True)
class FileInput:
    """One file of one layer, as an analyzer sees it.

    ``path`` is absolute inside the image (``/var/lib/dpkg/status``). ``open()`` returns a
    fresh seekable binary stream of the content (spooled to the scan's temp dir, never the
    host's file), so large binaries never need to be in memory whole.
    """

    path: str
    size: int
    mode: int
    opener: Callable[[], BinaryIO]

    def open(self) -> BinaryIO:
        """A new seekable stream positioned at the start of the file."""
        return self.opener()

    def read(self, limit: int = DEFAULT_MAX_BYTES) -> bytes:
        """The whole content; ``AnalyzerError`` when it is larger than ``limit``."""
        if self.size > limit:
            raise AnalyzerError(f"{self.path}: {self.size} bytes is over the {limit}-byte limit")
        with self.open() as fh:
            return fh.read(limit + 1)[:limit]


@dataclass(frozen=True, slots=True)
class Found:
    """What an analyzer found in one file: packages (without layer), the OS, and notes."""

    packages: tuple[Package, ...] = ()
    os: OSInfo | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Analyzer:
    """A registered analyzer: identity, version (cache key), file selector and logic."""

    id: str
    version: int
    description: str
    required: Callable[[str], bool]
    analyze: Callable[[FileInput], Found]
    max_bytes: int = DEFAULT_MAX_BYTES


def analyzer(
    *,
    id: str,
    version: int,
    description: str,
    required: Callable[[str], bool],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Callable[[Callable[[FileInput], Found]], Analyzer]:
    """Decorator turning ``analyze(file) -> Found`` into an ``Analyzer`` value (no side effects)."""

    def wrap(fn: Callable[[FileInput], Found]) -> Analyzer:
        return Analyzer(id, version, description, required, fn, max_bytes)

    return wrap


class AnalyzerRegistry:
    """An ordered, validated catalogue of analyzers (unique IDs, positive versions, docs)."""

    def __init__(self, analyzers: Iterable[Analyzer]) -> None:
        self._by_id: dict[str, Analyzer] = {}
        for a in analyzers:
            if not _ID.match(a.id):
                raise RegistryError(f"analyzers: malformed analyzer ID {a.id!r}")
            if a.id in self._by_id:
                raise RegistryError(f"analyzers: duplicate analyzer ID {a.id}")
            if a.version < 1 or not a.description.strip():
                raise RegistryError(f"analyzers: {a.id} needs a version >= 1 and a description")
            self._by_id[a.id] = a
        # Each distinct selector once (analyzers may share one, e.g. the ELF binary ones),
        # in a plain tuple: ``wanted`` runs on every entry of every layer.
        selectors: list[Callable[[str], bool]] = []
        for a in self._by_id.values():
            if a.required not in selectors:
                selectors.append(a.required)
        self._selectors = tuple(selectors)

    def __iter__(self) -> Iterator[Analyzer]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, analyzer_id: str) -> Analyzer:
        """The analyzer with this ID (``KeyError`` if none)."""
        return self._by_id[analyzer_id]

    def wanted(self, path: str) -> bool:
        """Whether any analyzer wants this file."""
        for required in self._selectors:  # noqa: SIM110 - a loop beats any() with a generator here
            if required(path):
                return True
        return False

    def cache_key(self) -> str:
        """``id:version`` of every analyzer, sorted: part of every cache key."""
        return ",".join(
            f"{a.id}:{a.version}" for a in sorted(self._by_id.values(), key=lambda a: a.id)
        )
