"""The seam for inventory writers: ``SbomOptions``, the ``DocWriter`` value and its decorator.

An inventory writer is a pure function ``write(document, options) -> str`` plus its metadata,
declared with ``@doc_writer(...)`` in its own module and listed explicitly in
``seawall.output.sbom.SBOM_WRITERS`` (documents are ``Inventory`` values) or ``INSPECT_WRITERS``
(documents are ``ImageInfo`` values). Both catalogues are ``seawall.output.base.Catalogue``
instances, validated exactly like the audit writers.

Writers never read the clock or make up identifiers themselves: the serial number / document
namespace comes from ``SbomOptions.id_factory`` and a missing timestamp from
``SbomOptions.clock``, so tests inject fixed ones and golden files stay stable.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

from seawall.model.inventory import Inventory, LayerRef, Package

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SbomOptions:
    """How to present an inventory or an image.

    ``tool_version`` is seawall's version (the CLI passes ``seawall.__version__``; writers may
    not import it). ``id_factory`` makes the CycloneDX ``serialNumber`` and the SPDX
    ``documentNamespace`` (a fresh UUID per document, as both specs ask). ``clock`` is used only
    when the inventory has no usable ``generated_at``. ``color`` and ``terminal_width`` matter
    to the tables only.
    """

    tool_version: str
    tool_name: str = "seawall"
    id_factory: Callable[[], uuid.UUID] = field(default=uuid.uuid4)
    clock: Callable[[], datetime] = field(default=_now)
    color: bool = False
    terminal_width: int | None = None

    def __post_init__(self) -> None:
        if not self.tool_version.strip():
            raise ValueError("tool_version must not be empty")
        if self.terminal_width is not None and self.terminal_width < 20:
            raise ValueError(f"terminal_width must be at least 20, not {self.terminal_width}")


#: The signature of every inventory / inspection writer.
DocWriteFn = Callable[[T, SbomOptions], str]


@dataclass(frozen=True, slots=True)
class DocWriter(Generic[T]):
    """An output format for ``T`` documents: ``--format`` name, media type, extension, function."""

    name: str
    media_type: str
    extension: str
    description: str
    write: Callable[[T, SbomOptions], str]

    def default_filename(self, stem: str = "seawall-sbom") -> str:
        """``seawall-sbom.cdx.json`` and the like: a file name for ``--output`` suggestions."""
        return f"{stem}{self.extension}"


def doc_writer(
    *, name: str, media_type: str, extension: str, description: str
) -> Callable[[Callable[[T, SbomOptions], str]], DocWriter[T]]:
    """Decorator turning a write function into a ``DocWriter`` value. No global state is touched."""

    def wrap(fn: Callable[[T, SbomOptions], str]) -> DocWriter[T]:
        return DocWriter(
            name=name, media_type=media_type, extension=extension, description=description, write=fn
        )

    return wrap


def utc_timestamp(value: str, options: SbomOptions) -> str:
    """``value`` (ISO 8601) as ``YYYY-MM-DDThh:mm:ssZ``; the options' clock when it is unusable.

    SPDX 2.3 requires exactly this form for ``created``; CycloneDX accepts it as a date-time.
    A timestamp without a zone is taken as UTC.
    """
    parsed: datetime | None = None
    text = value.strip()
    if text:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None:
        parsed = options.clock()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sorted_packages(inventory: Inventory) -> list[Package]:
    """Packages in the order every format lists them: ecosystem, name, version, path."""
    return sorted(inventory.packages, key=lambda p: (p.ecosystem, p.name, p.version, p.path))


def base_label(layer: LayerRef | None) -> str:
    """``base``, ``own`` or ``unknown``: whether a layer belongs to the base image (never a guess)."""
    if layer is None or layer.base is None:
        return "unknown"
    return "base" if layer.base else "own"


_NOT_SLUG = re.compile(r"[^A-Za-z0-9.-]+")


def slug(text: str, limit: int = 64) -> str:
    """``text`` reduced to ``[A-Za-z0-9.-]`` (runs of anything else become one ``-``)."""
    return _NOT_SLUG.sub("-", text).strip("-.")[:limit].strip("-.")


#: The longest version CycloneDX accepts (``definitions.version.maxLength`` in bom-1.6).
MAX_VERSION = 1024


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
