"""Image metadata shared by every source: digests, media types, platforms, config -> ImageInfo.

Pure functions over bytes already read (and size-capped) by a source. They follow the OCI
image-spec (descriptor.md, image-index.md, manifest.md, config.md, annotations.md) and the
Docker image manifest v2 schema 2, and refuse anything else with an ``ImageError`` naming
what was wrong, so a hostile layout cannot steer a source to a path or a blob it did not name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seawall.errors import UsageError
from seawall.image.walk import ImageError
from seawall.model.inventory import HistoryEntry, ImageInfo, LayerRef

# descriptor.md: registered algorithms only; the encoded part is lower-case hex of fixed size.
_DIGEST = re.compile(r"^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar"

INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_LIST})
MANIFEST_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
CONFIG_TYPES = frozenset({OCI_CONFIG, DOCKER_CONFIG})
#: Layer media types the walker reads (it sniffs the compression itself).
LAYER_TYPES = frozenset(
    {
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        DOCKER_LAYER_TAR,
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    }
)

#: Size caps for metadata read whole (manifests, indexes and configs are small JSON).
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_CONFIG_BYTES = 32 * 1024 * 1024
#: Nested image indexes followed at most this deep.
MAX_INDEX_DEPTH = 4
#: Layers in one image.
MAX_LAYERS = 1000

BASE_DIGEST = "org.opencontainers.image.base.digest"
BASE_NAME = "org.opencontainers.image.base.name"
REF_NAME = "org.opencontainers.image.ref.name"


def check_digest(value: object, what: str) -> str:
    """``value`` when it is a well-formed ``sha256:``/``sha512:`` digest, else ``ImageError``.

    Digests become file names (``blobs/<alg>/<hex>``), so anything else (``sha256:../../x``)
    is refused here, before any path is built from it.
    """
    if not isinstance(value, str) or not _DIGEST.match(value):
        raise ImageError(f"{what}: invalid digest {str(value)[:100]!r}")
    return value


def digest_of(data: bytes, algorithm: str = "sha256") -> str:
    """The digest of ``data`` with ``algorithm`` (``sha256`` or ``sha512``)."""
    return f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"


def verify(data: bytes, digest: str, what: str, size: int | None = None) -> None:
    """``ImageError`` unless ``data`` has ``digest`` (and ``size`` when given)."""
    got = digest_of(data, digest.partition(":")[0])
    if got != digest:
        raise ImageError(f"{what}: digest mismatch: expected {digest}, the content is {got}")
    if size is not None and size != len(data):
        raise ImageError(f"{what}: size mismatch: expected {size} bytes, found {len(data)}")


def parse_json(data: bytes, what: str) -> object:
    """Any JSON value from ``data``; ``ImageError`` naming ``what`` when it is not JSON."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ImageError(f"{what}: not valid JSON ({str(exc)[:120]})") from None


def load_json(data: bytes, what: str) -> dict[str, Any]:
    """A JSON object from ``data``; ``ImageError`` naming ``what`` otherwise."""
    doc = parse_json(data, what)
    if not isinstance(doc, dict):
        raise ImageError(f"{what}: expected a JSON object, found {type(doc).__name__}")
    return doc


@dataclass(frozen=True, slots=True)
class Platform:
    """``os/architecture[/variant]`` as in an image index (OCI image-index.md ``platform``)."""

    os: str
    architecture: str
    variant: str = ""

    def __str__(self) -> str:
        tail = f"/{self.variant}" if self.variant else ""
        return f"{self.os}/{self.architecture}{tail}"

    def matches(self, other: Platform) -> bool:
        """Does ``other`` (a descriptor's platform) satisfy this request?

        A request without a variant accepts any variant (``linux/arm64`` takes ``v8``).
        """
        if (self.os, self.architecture) != (other.os, other.architecture):
            return False
        return not self.variant or self.variant == other.variant


DEFAULT_PLATFORM = Platform("linux", "amd64")


def parse_platform(text: str) -> Platform:
    """``linux/arm64/v8`` -> ``Platform``; ``UsageError`` for anything else."""
    parts = text.strip().split("/")
    if len(parts) not in (2, 3) or not all(re.fullmatch(r"[a-z0-9_.-]+", p) for p in parts):
        raise UsageError(
            f"--platform {text!r}: expected os/arch[/variant]", hint="e.g. linux/amd64"
        )
    return Platform(*parts)


def descriptor_platform(desc: Mapping[str, Any]) -> Platform | None:
    """The ``platform`` of an index entry, when it has a usable one."""
    plat = desc.get("platform")
    if not isinstance(plat, dict):
        return None
    os_, arch, var = plat.get("os"), plat.get("architecture"), plat.get("variant", "")
    if not isinstance(os_, str) or not isinstance(arch, str) or not isinstance(var, str):
        return None
    return Platform(os_, arch, var)


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A validated OCI descriptor (descriptor.md): media type, digest, size, annotations."""

    media_type: str
    digest: str
    size: int
    annotations: Mapping[str, str]
    platform: Platform | None = None


def descriptor(desc: object, what: str, media_type: str | None = None) -> Descriptor:
    """Validate one descriptor (``media_type`` fills in a missing ``mediaType``)."""
    if not isinstance(desc, dict):
        raise ImageError(f"{what}: a descriptor is not a JSON object")
    mt = desc.get("mediaType", media_type)
    if not isinstance(mt, str):
        raise ImageError(f"{what}: a descriptor has no mediaType")
    size = desc.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ImageError(f"{what}: descriptor {desc.get('digest')!r} has no valid size")
    notes = desc.get("annotations") or {}
    if not isinstance(notes, dict):
        raise ImageError(f"{what}: descriptor annotations are not an object")
    clean = {str(k): str(v) for k, v in notes.items() if isinstance(v, str)}
    digest = check_digest(desc.get("digest"), what)
    return Descriptor(mt, digest, size, clean, descriptor_platform(desc))


def parse_manifest(
    manifest: Mapping[str, Any], what: str
) -> tuple[Descriptor, tuple[Descriptor, ...]]:
    """(config descriptor, layer descriptors) of an image manifest, media types checked."""
    config = descriptor(manifest.get("config"), f"{what} config")
    if config.media_type not in CONFIG_TYPES:
        raise ImageError(
            f"{what}: unknown config media type {config.media_type!r} (not a container image)"
        )
    layers = manifest.get("layers")
    if not isinstance(layers, list):
        raise ImageError(f"{what}: no layers list")
    if len(layers) > MAX_LAYERS:
        raise ImageError(f"{what}: {len(layers)} layers is over the limit of {MAX_LAYERS}")
    out = tuple(descriptor(d, f"{what} layer") for d in layers)
    for d in out:
        if d.media_type not in LAYER_TYPES:
            raise ImageError(f"{what}: layer {d.digest} has unknown media type {d.media_type!r}")
    return config, out


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _created_by(history: object, count: int) -> list[str]:
    """History entries paired with layers (``empty_layer`` entries made no layer)."""
    entries = history if isinstance(history, list) else []
    out = [
        _str(e.get("created_by")) or _str(e.get("comment"))
        for e in entries
        if isinstance(e, dict) and not e.get("empty_layer")
    ]
    return (out + [""] * count)[:count]


def history_of(history: object) -> tuple[HistoryEntry, ...]:
    """The config's ``history`` as values, empty layers included (malformed entries skipped)."""
    entries = history if isinstance(history, list) else []
    return tuple(
        HistoryEntry(
            created_by=_str(e.get("created_by")),
            created=_str(e.get("created")),
            comment=_str(e.get("comment")),
            empty_layer=bool(e.get("empty_layer")),
        )
        for e in entries
        if isinstance(e, dict)
    )


def base_image(annotations: Mapping[str, str], labels: object) -> str | None:
    """``name@digest`` (or either) from the base-image annotations, else the same labels."""
    for source in (annotations, labels if isinstance(labels, dict) else {}):
        name, digest = _str(source.get(BASE_NAME)), _str(source.get(BASE_DIGEST))
        if name and digest:
            return f"{name}@{digest}"
        if name or digest:
            return name or digest
    return None


@dataclass(frozen=True, slots=True)
class BlobInfo:
    """What a source knows of one stored layer blob (the config gives its diff ID)."""

    digest: str | None
    size: int | None
    media_type: str


def image_info(
    *,
    ref: str,
    source: str,
    config_bytes: bytes,
    config_digest: str,
    blobs: Sequence[BlobInfo],
    manifest_digest: str | None = None,
    tags: Sequence[str] = (),
    annotations: Mapping[str, str] | None = None,
    what: str = "config",
) -> ImageInfo:
    """The ``ImageInfo`` of an image from its config JSON and its layer blobs (in order).

    The config's ``rootfs.diff_ids`` must pair one-to-one with the blobs.
    """
    config = load_json(config_bytes, what)
    rootfs = config.get("rootfs")
    diff_ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    if not isinstance(diff_ids, list):
        raise ImageError(f"{what}: no rootfs.diff_ids list")
    if len(diff_ids) != len(blobs):
        raise ImageError(
            f"{what}: rootfs lists {len(diff_ids)} layers but the manifest has {len(blobs)}"
        )
    created_by = _created_by(config.get("history"), len(blobs))
    layers = tuple(
        LayerRef(
            index=i,
            diff_id=check_digest(diff_ids[i], f"{what} rootfs.diff_ids[{i}]"),
            digest=blob.digest,
            size=blob.size,
            media_type=blob.media_type,
            created_by=created_by[i],
        )
        for i, blob in enumerate(blobs)
    )
    inner = config.get("config")
    inner = inner if isinstance(inner, dict) else {}
    arch = _str(config.get("architecture"))
    return ImageInfo(
        ref=ref,
        source=source,
        id=config_digest,
        digest=manifest_digest,
        tags=tuple(tags),
        os=_str(config.get("os")),
        architecture=arch,
        created=_str(config.get("created")),
        layers=layers,
        config=inner,
        base_image=base_image(annotations or {}, inner.get("Labels")),
        history=history_of(config.get("history")),
    )
