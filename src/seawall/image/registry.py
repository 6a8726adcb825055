"""The ``registry:REF`` source: an image pulled over the OCI distribution API, layers streamed.

``open_registry`` resolves the reference (``GET /v2/<name>/manifests/<ref>``, accepting OCI
image indexes and manifests and Docker manifest lists and v2 manifests), follows an index to
the manifest of the wanted platform (``os/arch[/variant]``; default ``linux/amd64``, else the
only image there is), and fetches the config. Every manifest and the config are verified
against their digest (the one pulled by, the descriptor pointing at them, and any
``Docker-Content-Digest`` header) and capped at :data:`MAX_MANIFEST_BYTES` /
:data:`MAX_CONFIG_BYTES`. Layers are not downloaded here: each ``LayerBlob.open()`` streams
``GET /v2/<name>/blobs/<digest>`` and the layer walker verifies the digest and diff ID it is
given (from the manifest and the config) while reading.

Media types, limits, platform matching and the ``ImageInfo`` built from the config are shared
with the other sources (``seawall.image.manifest``). Transport, TLS and redirect policy live in
``registry_http``; credentials and token auth in ``registry_auth``. Errors are ``ImageError``:
one line naming the registry, the repository and the problem.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from seawall.errors import UsageError
from seawall.image.manifest import (
    DEFAULT_PLATFORM,
    DOCKER_LIST,
    DOCKER_MANIFEST,
    INDEX_TYPES,
    MANIFEST_TYPES,
    MAX_CONFIG_BYTES,
    MAX_INDEX_DEPTH,
    MAX_MANIFEST_BYTES,
    OCI_INDEX,
    OCI_MANIFEST,
    BlobInfo,
    Descriptor,
    Platform,
    descriptor,
    image_info,
    load_json,
    parse_manifest,
    parse_platform,
)
from seawall.image.registry_auth import DOCKER_HUB_REGISTRY, RegistryAuth
from seawall.image.registry_http import Transport
from seawall.image.source import LayerBlob, OpenedImage
from seawall.model.inventory import ImageInfo, LayerRef

_ACCEPT = ", ".join((OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST))
_DIGEST = re.compile(r"(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})")
_DOMAIN = re.compile(
    r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?"
)
_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")


@dataclass(frozen=True, slots=True)
class ImageReference:
    """A parsed ``[registry/]repository[:tag][@digest]`` (docker.io defaults applied)."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None
    #: The registry as users name it (``docker.io`` for Docker Hub).
    domain: str = ""

    @property
    def reference(self) -> str:
        """What to ask the registry for: the digest when there is one, else the tag."""
        return self.digest or self.tag or "latest"

    def familiar(self) -> str:
        """``busybox`` for Docker Hub's official images, else ``registry/repository``."""
        if self.domain == "docker.io":
            return self.repository.removeprefix("library/")
        return f"{self.domain}/{self.repository}"


def parse_reference(ref: str) -> ImageReference:
    """Parse an image reference; bare names mean Docker Hub (``busybox`` -> library/busybox)."""
    text = ref.strip()
    digest = None
    if "@" in text:
        text, digest = text.rsplit("@", 1)
        if not _DIGEST.fullmatch(digest):
            raise UsageError(f"{ref!r}: invalid digest (want sha256:<64 hex> or sha512:<128 hex>)")
    tag = None
    slash, colon = text.rfind("/"), text.rfind(":")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1 :]
        if not _TAG.fullmatch(tag):
            raise UsageError(f"{ref!r}: invalid tag {tag!r}")
    first, sep, rest = text.partition("/")
    is_domain = sep and (
        "." in first or ":" in first or first == "localhost" or first != first.lower()
    )
    domain, path = (first, rest) if is_domain else ("docker.io", text)
    if not _DOMAIN.fullmatch(domain):
        raise UsageError(f"{ref!r}: invalid registry name {domain!r}")
    if domain in ("docker.io", "index.docker.io", DOCKER_HUB_REGISTRY):
        domain = "docker.io"
        if "/" not in path:
            path = f"library/{path}"
    if not path or len(path) > 255 or not all(_COMPONENT.fullmatch(c) for c in path.split("/")):
        raise UsageError(f"{ref!r}: invalid repository name {path!r} (lower case, digits, . _ -)")
    registry = DOCKER_HUB_REGISTRY if domain == "docker.io" else domain
    if tag is None and digest is None:
        tag = "latest"
    return ImageReference(registry, path, tag, digest, domain)


@dataclass(frozen=True, slots=True)
class _Manifest:
    """A fetched, verified manifest or index."""

    media_type: str
    digest: str
    doc: dict[str, Any]


def _verify(t: Transport, what: str, data: bytes, expected: str | None, header: str | None) -> str:
    """The digest of ``data``; it must equal ``expected`` and any Docker-Content-Digest."""
    claims = ((expected, "the digest it was fetched by"), (header, "Docker-Content-Digest"))
    for claimed, source in claims:
        if claimed is None:
            continue
        if not _DIGEST.fullmatch(claimed):
            raise t.error(f"{what}: invalid digest {claimed[:80]!r} in {source}")
        algo = claimed.split(":", 1)[0]
        actual = f"{algo}:{hashlib.new(algo, data).hexdigest()}"
        if actual != claimed:
            raise t.error(f"{what}: digest mismatch: {source} says {claimed}, content is {actual}")
    return expected or header or f"sha256:{hashlib.sha256(data).hexdigest()}"


def _fetch_manifest(t: Transport, reference: str, want: Descriptor | None) -> _Manifest:
    """GET a manifest or index by tag or digest; verified, size-capped, media type known."""
    what = f"manifest {reference}" if _DIGEST.fullmatch(reference) else f"tag {reference!r}"
    resp = t.get(f"{t.repository}/manifests/{reference}", _ACCEPT)
    if resp.status_code != 200:
        raise t.status_error(resp, what)
    content_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    header = resp.headers.get("docker-content-digest")
    body = t.read_capped(resp, MAX_MANIFEST_BYTES, what)
    expected = want.digest if want else (reference if _DIGEST.fullmatch(reference) else None)
    digest = _verify(t, what, body, expected, header)
    if want is not None and len(body) != want.size:
        raise t.error(f"{what}: {len(body)} bytes, its descriptor says {want.size}")
    doc = load_json(body, f"{t.describe}: {what}")
    declared = doc.get("mediaType")
    media = declared if isinstance(declared, str) and declared else content_type
    if not media and want is not None:
        media = want.media_type
    if media not in INDEX_TYPES | MANIFEST_TYPES:
        if "prettyjws" in media or doc.get("schemaVersion") == 1:
            raise t.error(f"{what}: Docker schema 1 manifests are not supported; re-push the image")
        raise t.error(f"{what}: unsupported media type {media[:100]!r}")
    return _Manifest(media, digest, doc)


def _is_attestation(d: Descriptor) -> bool:
    """BuildKit attestations are index entries for platform unknown/unknown, not images."""
    unknown = d.platform == Platform("unknown", "unknown")
    return unknown or d.annotations.get("vnd.docker.reference.type") == "attestation-manifest"


def _select(t: Transport, index: _Manifest, want: Platform | None) -> Descriptor:
    """The entry for ``want`` (default linux/amd64, else the only image in the index)."""
    what = f"{t.describe}: index {index.digest}"
    raw = index.doc.get("manifests")
    if not isinstance(raw, list) or not raw:
        raise t.error(f"index {index.digest}: no manifests")
    images = [d for d in (descriptor(m, what) for m in raw) if not _is_attestation(d)]
    if want is None and len(images) == 1:
        return images[0]
    request = want or DEFAULT_PLATFORM
    for d in images:
        if d.platform is not None and request.matches(d.platform):
            return d
    available = ", ".join(sorted({str(d.platform) for d in images if d.platform})) or "none"
    raise t.error(
        f"no image for platform {request} (available: {available})",
        hint="choose one with --platform os/arch[/variant]",
    )


def _resolve(
    t: Transport, ref: ImageReference, want: Platform | None
) -> tuple[_Manifest, Mapping[str, str]]:
    """The image manifest for the platform, and the annotations of the index entry naming it."""
    current = _fetch_manifest(t, ref.reference, None)
    entry: Mapping[str, str] = {}
    depth = 0
    while current.media_type in INDEX_TYPES:
        depth += 1
        if depth > MAX_INDEX_DEPTH:
            raise t.error(f"indexes nested deeper than {MAX_INDEX_DEPTH} levels")
        chosen = _select(t, current, want)
        entry = chosen.annotations
        current = _fetch_manifest(t, chosen.digest, chosen)
    return current, entry


def _fetch_config(t: Transport, desc: Descriptor) -> bytes:
    """The config blob, size-capped and verified against its descriptor."""
    what = f"config {desc.digest}"
    if desc.size > MAX_CONFIG_BYTES:
        raise t.error(f"{what} is {desc.size} bytes, over the {MAX_CONFIG_BYTES}-byte limit")
    resp = t.get(f"{t.repository}/blobs/{desc.digest}", desc.media_type)
    if resp.status_code != 200:
        raise t.status_error(resp, what)
    body = t.read_capped(resp, MAX_CONFIG_BYTES, what)
    _verify(t, what, body, desc.digest, None)
    if len(body) != desc.size:
        raise t.error(f"{what}: {len(body)} bytes, the manifest says {desc.size}")
    return body


class RegistryImage:
    """An image opened from a registry; layers are fetched when the walker opens them."""

    def __init__(self, info: ImageInfo, transport: Transport) -> None:
        self._info = info
        self._transport = transport
        self._layers = tuple(LayerBlob(ref=ref, open=self._opener(ref)) for ref in info.layers)

    @property
    def info(self) -> ImageInfo:
        """Identity, config and layer list of the image."""
        return self._info

    @property
    def layers(self) -> tuple[LayerBlob, ...]:
        """Layer blobs, bottom first; ``open()`` streams each from the registry."""
        return self._layers

    def _opener(self, ref: LayerRef) -> Callable[[], BinaryIO]:
        def open_blob() -> BinaryIO:
            t = self._transport
            what = f"layer {ref.index} ({ref.digest})"
            resp = t.get(f"{t.repository}/blobs/{ref.digest}", "*/*")
            if resp.status_code != 200:
                raise t.status_error(resp, what)
            header = resp.headers.get("docker-content-digest")
            if header and header != ref.digest:
                resp.close()
                raise t.error(f"{what}: the registry served blob {header[:80]}")
            return t.stream(resp, ref.size, what)

        return open_blob

    def close(self) -> None:
        """Close the HTTP connections."""
        self._transport.close()


def open_registry(
    ref: str,
    *,
    tmpdir: str,
    platform: str | None = None,
    insecure: tuple[str, ...] = (),
    auth: RegistryAuth | None = None,
) -> OpenedImage:
    """Open ``ref`` in its registry (manifest and config fetched and verified, layers lazy).

    ``tmpdir`` is accepted for the common source signature; nothing is spooled (layers are
    streamed). ``insecure`` lists ``host:port`` registries that may use plain HTTP or
    unverified TLS. ``auth`` defaults to the environment and Docker's config.json.
    ``ImageInfo.digest`` is the digest of the platform's image manifest.
    """
    del tmpdir  # layers are streamed, nothing needs spooling
    parsed = parse_reference(ref)
    want = parse_platform(platform) if platform else None
    t = Transport(
        parsed.registry, parsed.repository, insecure=insecure, auth=auth or RegistryAuth()
    )
    try:
        manifest, entry_notes = _resolve(t, parsed, want)
        what = f"{t.describe}: manifest {manifest.digest}"
        config_desc, layer_descs = parse_manifest(manifest.doc, what)
        notes = manifest.doc.get("annotations")
        annotations = {**entry_notes, **(notes if isinstance(notes, dict) else {})}
        info = image_info(
            ref=ref,
            source="registry",
            config_bytes=_fetch_config(t, config_desc),
            config_digest=config_desc.digest,
            blobs=[BlobInfo(d.digest, d.size, d.media_type) for d in layer_descs],
            manifest_digest=manifest.digest,
            tags=(f"{parsed.familiar()}:{parsed.tag}",) if parsed.tag else (),
            annotations={str(k): v for k, v in annotations.items() if isinstance(v, str)},
            what=f"{t.describe}: config {config_desc.digest}",
        )
        if want is not None and info.os and info.architecture:
            actual = Platform(info.os, info.architecture)
            if not Platform(want.os, want.architecture).matches(actual):
                raise t.error(f"the image is for platform {actual}, not {want}")
    except BaseException:
        t.close()
        raise
    return RegistryImage(info, t)
