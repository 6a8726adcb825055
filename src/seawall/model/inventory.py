"""Inventory values: images, layers and the packages found in them (the SBOM's content).

Pure data; produced by ``seawall.inventory`` and formatted by the SBOM writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LayerRef:
    """One filesystem layer of an image, in order (index 0 is the bottom layer).

    ``diff_id`` is the verified sha256 of the uncompressed layer tar; ``digest`` the digest
    of the blob as stored (compressed) when the source has one. ``created_by`` is the history
    entry (Dockerfile instruction) that made it. ``base`` is True for layers of the base image,
    False for the image's own layers and None when unknown (never a guess).
    """

    index: int
    diff_id: str
    digest: str | None = None
    size: int | None = None
    media_type: str = ""
    created_by: str = ""
    base: bool | None = None


@dataclass(frozen=True, slots=True)
class Package:
    """One installed package or dependency.

    ``ecosystem`` is the purl type (``deb``, ``apk``, ``rpm``, ``pypi``, ``npm``, ``golang``,
    ``maven``, ``gem``, ``cargo``, ``composer``, ``nuget``). ``path`` is the file it was found
    in, inside the image (absolute, ``/``-separated). ``source_name``/``source_version`` are the
    source package (distro advisories are per source package). ``layer`` is the first layer from
    which the package is continuously present at its final version.
    """

    name: str
    version: str
    ecosystem: str
    purl: str
    analyzer: str
    path: str
    source_name: str | None = None
    source_version: str | None = None
    epoch: int | None = None
    arch: str | None = None
    licenses: tuple[str, ...] = ()
    maintainer: str | None = None
    layer: LayerRef | None = None
    #: Extra facts an analyzer wants in the SBOM (e.g. ``("go.toolchain", "go1.19.8")``).
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Identity used to follow a package across layers: ecosystem, name, version, arch, path.

        The architecture is part of it: multiarch Debian can hold libc6 amd64 and i386 at once.
        """
        return (self.ecosystem, self.name, self.version, self.arch or "", self.path)


@dataclass(frozen=True, slots=True)
class OSInfo:
    """The distribution the image is based on (from /etc/os-release and fallbacks)."""

    id: str
    version_id: str = ""
    name: str = ""
    pretty_name: str = ""
    codename: str = ""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One entry of the image config's ``history`` (OCI image-spec config.md), in order.

    ``empty_layer`` entries (``ENV``, ``USER``, ``CMD`` ...) made no filesystem layer; the
    others pair, in order, with ``ImageInfo.layers``.
    """

    created_by: str = ""
    created: str = ""
    comment: str = ""
    empty_layer: bool = False


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What was scanned: the reference as given, the source kind and the image's identity.

    ``config`` is the image config's ``config`` object as found (``User``, ``Env``, ``Cmd``,
    ``Entrypoint``, ``ExposedPorts``, ``Labels`` ...; untrusted, so readers type-check it).
    """

    ref: str
    source: str
    id: str = ""
    digest: str | None = None
    tags: tuple[str, ...] = ()
    os: str = ""
    architecture: str = ""
    created: str = ""
    layers: tuple[LayerRef, ...] = ()
    config: dict[str, object] = field(default_factory=dict)
    base_image: str | None = None
    #: The full build history, empty layers included (``()`` when the source has none).
    history: tuple[HistoryEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Inventory:
    """The packages of one image, plus what was skipped while reading it (hostile entries...)."""

    image: ImageInfo
    packages: tuple[Package, ...]
    os: OSInfo | None = None
    notes: tuple[str, ...] = ()
    generated_at: str = ""
