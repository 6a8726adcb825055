"""The one interface every image source implements: an opened image with ordered layer blobs.

Sources: ``docker:REF`` and ``container:NAME`` (the engine, in ``seawall.docker``),
``docker-archive:PATH``, ``oci:DIR``, ``oci-archive:PATH``, ``registry:REF`` and a plain
directory (``seawall fs PATH``). Each gives the same ``OpenedImage``; the inventory never
knows where an image came from, so all sources yield identical SBOMs apart from metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from seawall.model.inventory import ImageInfo, LayerRef


@dataclass(frozen=True, slots=True)
class LayerBlob:
    """One layer as stored by the source.

    ``ref.diff_id``/``ref.digest`` are what the config/manifest CLAIM; the layer walker
    verifies them while streaming. ``open()`` returns the raw blob (compressed or not; the
    walker sniffs gzip/zstd/plain). ``stat_key`` identifies the stored bytes (device, inode,
    size, mtime, offset) when they live in a local file, so the cache may skip re-hashing an
    unchanged blob; ``None`` when the blob is streamed (it must then be hashed again).
    """

    ref: LayerRef
    open: Callable[[], BinaryIO]
    stat_key: str | None = None
    #: For ``seawall fs PATH``: the directory that is the (only) layer; ``open`` is not used.
    directory: str | None = None


class OpenedImage(Protocol):
    """An image ready to be read. ``close()`` releases temp files and connections."""

    @property
    def info(self) -> ImageInfo:
        """Identity, config and layer list of the image."""
        ...

    @property
    def layers(self) -> tuple[LayerBlob, ...]:
        """Layer blobs, bottom first."""
        ...

    def close(self) -> None:
        """Release resources (temp files, HTTP connections)."""
        ...
