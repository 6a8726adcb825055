"""The writer seam: ``WriteOptions``, the ``Writer`` value, the ``@writer`` decorator, the catalogue.

A writer is a pure function ``write(report, options) -> str`` plus its metadata, declared with
``@writer(...)`` in its own module and listed explicitly in ``seawall.output.WRITERS``. Writers
format a ``Report``; they never compute findings, read the clock or touch the filesystem.
``Catalogue`` is generic over the format type, so the inventory writers of
``seawall.output.sbom`` are validated by the same code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from seawall.errors import RegistryError, UsageError
from seawall.model import Report, Severity


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """How to present a report.

    ``min_severity`` is the ``--severity`` display filter: results of rules below it are not
    listed (summary counts and the exit code still cover everything). ``show_suppressed`` lists
    suppressed results in the table and HTML (JSON and SARIF always carry them, marked).
    ``color`` and ``terminal_width`` only matter to the table.
    """

    min_severity: Severity = Severity.INFO
    show_suppressed: bool = False
    color: bool = False
    terminal_width: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.min_severity, Severity):
            raise TypeError(f"min_severity must be a Severity, not {self.min_severity!r}")
        if self.terminal_width is not None and self.terminal_width < 20:
            raise ValueError(f"terminal_width must be at least 20, not {self.terminal_width}")

    @property
    def filtering(self) -> bool:
        """True when the severity filter hides anything at all (anything above ``info``)."""
        return self.min_severity > Severity.INFO


#: The signature every writer implements.
WriteFn = Callable[[Report, WriteOptions], str]

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
_EXTENSION = re.compile(r"^(\.[a-z0-9]+)+$")


@dataclass(frozen=True, slots=True)
class Writer:
    """An output format: its ``--format`` name, media type, default file extension and function."""

    name: str
    media_type: str
    extension: str
    description: str
    write: WriteFn

    def default_filename(self, stem: str = "seawall-report") -> str:
        """``seawall-report.sarif`` and the like: a file name for ``--output`` suggestions."""
        return f"{stem}{self.extension}"


def writer(
    *, name: str, media_type: str, extension: str, description: str
) -> Callable[[WriteFn], Writer]:
    """Decorator turning a write function into a ``Writer`` value. No global state is touched."""

    def wrap(fn: WriteFn) -> Writer:
        return Writer(
            name=name, media_type=media_type, extension=extension, description=description, write=fn
        )

    return wrap


class Formatter(Protocol):
    """What a catalogue needs of a format: its metadata and a write function.

    ``Writer`` (audit reports) and ``seawall.output.sbom.DocWriter`` (inventories, image
    inspection) both have this shape, so one validated catalogue serves every kind of output.
    """

    @property
    def name(self) -> str:
        """The ``--format`` name."""
        ...

    @property
    def media_type(self) -> str:
        """The IANA media type of the output."""
        ...

    @property
    def extension(self) -> str:
        """The default file extension, with its dot."""
        ...

    @property
    def description(self) -> str:
        """One line for ``--help``."""
        ...

    @property
    def write(self) -> Callable[..., str]:
        """The pure write function."""
        ...


F = TypeVar("F", bound=Formatter)


class Catalogue(Generic[F]):
    """An ordered, validated set of formats: unique well-formed names and complete metadata."""

    def __init__(self, writers: Iterable[F]) -> None:
        self._writers: dict[str, F] = {}
        for w in writers:
            _validate(w)
            if w.name in self._writers:
                raise RegistryError(f"writers: duplicate format name {w.name!r}")
            self._writers[w.name] = w

    def __iter__(self) -> Iterator[F]:
        return iter(self._writers.values())

    def __len__(self) -> int:
        return len(self._writers)

    def __contains__(self, name: object) -> bool:
        return name in self._writers

    def names(self) -> tuple[str, ...]:
        """Format names in catalogue order."""
        return tuple(self._writers)

    def get(self, name: str) -> F:
        """The writer called ``name`` (case-insensitive); ``UsageError`` naming the valid ones."""
        found = self._writers.get(name.strip().lower())
        if found is None:
            valid = ", ".join(self._writers)
            raise UsageError(f"unknown output format {name!r} (valid formats: {valid})")
        return found


class WriterCatalogue(Catalogue[Writer]):
    """The catalogue of audit-report writers."""


def _validate(w: Formatter) -> None:
    if not _NAME.match(w.name):
        raise RegistryError(f"writers: malformed format name {w.name!r}")
    if not _MEDIA_TYPE.match(w.media_type):
        raise RegistryError(f"writers: {w.name} has a malformed media type {w.media_type!r}")
    if not _EXTENSION.match(w.extension):
        raise RegistryError(f"writers: {w.name} has a malformed extension {w.extension!r}")
    if not w.description.strip():
        raise RegistryError(f"writers: {w.name} has no description")
    if not callable(w.write):
        raise RegistryError(f"writers: {w.name} has no write function")
