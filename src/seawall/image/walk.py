"""The contract of the layer walker (implemented in ``image/layers.py``).

``walk_layer`` streams one layer blob once: it sniffs the compression (gzip, zstd, none),
hashes both the blob and the uncompressed tar and checks them against the claimed digests at
the end, iterates the tar entries safely (normalised absolute paths, no ``..``), records
whiteouts (``.wh.NAME``) and opaque directories (``.wh..wh..opq``), and spools the content of
the files a caller wants: small ones in memory under a budget, the others into the caller's
temp dir (``WalkLimits``). Nothing is ever written outside that directory and no file over
``memory_file_bytes`` is held in memory whole.

Structural damage (digest mismatch, truncated or garbage data, an entry count, size or ratio
over the limits) raises ``ImageError``; odd entries inside a valid layer (absolute or ``..``
paths, links escaping the root, devices, invalid UTF-8 names, duplicates, very deep paths) are
handled or skipped and listed in ``notes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from seawall.errors import SeawallError


class ImageError(SeawallError):
    """An image (or one of its blobs) is structurally damaged or cannot be read: no SBOM."""


@dataclass(frozen=True, slots=True)
class WalkLimits:
    """Documented limits; exceeding one is an ``ImageError`` naming the limit."""

    #: Entries in one layer.
    max_entries: int = 2_000_000
    #: Uncompressed bytes of one layer.
    max_layer_bytes: int = 64 * 1024**3
    #: Uncompressed/compressed ratio beyond which a layer is treated as a decompression bomb
    #: (only checked once the uncompressed size passes ``bomb_floor_bytes``).
    max_ratio: int = 200
    bomb_floor_bytes: int = 256 * 1024**2
    #: One wanted file's size (larger ones are skipped with a note).
    max_file_bytes: int = 512 * 1024**2
    #: Wanted files up to ``memory_file_bytes`` are kept in memory instead of temp files, as
    #: long as the walk's in-memory files total at most ``memory_total_bytes``; the rest go
    #: to temp files under the caller's directory (one layer is walked at a time, so this
    #: bounds the memory spent on spooled content).
    memory_file_bytes: int = 256 * 1024
    memory_total_bytes: int = 32 * 1024**2
    #: Path length and depth (deeper entries are skipped with a note).
    max_path_bytes: int = 4096
    max_depth: int = 256


@dataclass(frozen=True, slots=True)
class SpooledFile:
    """A wanted regular file's content, spooled in memory or under the scan's temp dir."""

    path: str
    size: int
    mode: int
    opener: Callable[[], BinaryIO]


@dataclass(slots=True)
class LayerWalk:
    """What one layer contributed: wanted files, wanted symlinks, deletions, notes, digests."""

    files: dict[str, SpooledFile] = field(default_factory=dict)
    symlinks: dict[str, str] = field(default_factory=dict)
    whiteouts: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    diff_id: str = ""
    digest: str = ""
    entries: int = 0
