"""OCI image layouts: ``oci:DIR[:TAG]`` (a directory) and ``oci-archive:PATH[:TAG]`` (a tar).

An OCI image layout (image-spec image-layout.md) holds ``oci-layout``, ``index.json`` and
content-addressed ``blobs/<alg>/<hex>``. The image is chosen from ``index.json`` by tag (the
``org.opencontainers.image.ref.name`` annotation) and by platform when an index lists several
(default linux/amd64, or the only one; nested indexes are followed a bounded number of levels).
Every index, manifest and config blob is read whole (they are small and size-capped) and
verified against its digest and size; layer blobs are streamed and verified by the walker.
Digests are validated before they become paths; in a directory, blobs are opened component
by component with ``O_NOFOLLOW``, so a symlinked blob cannot make seawall read a host file.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO, Protocol

from seawall.image.archive import ArchiveLimits, LocalImage, TarIndex
from seawall.image.manifest import (
    DEFAULT_PLATFORM,
    INDEX_TYPES,
    MANIFEST_TYPES,
    MAX_CONFIG_BYTES,
    MAX_INDEX_DEPTH,
    MAX_MANIFEST_BYTES,
    REF_NAME,
    BlobInfo,
    Descriptor,
    Platform,
    check_digest,
    descriptor,
    image_info,
    load_json,
    parse_manifest,
    parse_platform,
    verify,
)
from seawall.image.source import LayerBlob
from seawall.image.spool import CHUNK
from seawall.image.walk import ImageError
from seawall.model.inventory import ImageInfo

_CONTAINERD_NAME = "io.containerd.image.name"
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_ROOT = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class _Store(Protocol):
    """Where a layout's files live: a directory or an indexed tar."""

    where: str

    def read_file(self, name: str, cap: int) -> bytes | None:
        """A top-level file of the layout (``oci-layout``, ``index.json``), ``None`` if absent."""
        ...

    def blob_opener(self, digest: str) -> Callable[[], BinaryIO]:
        """A callable opening blob ``digest`` (``ImageError`` now if the blob is missing)."""
        ...

    def blob_stat_key(self, digest: str) -> str | None:
        """The stat key of blob ``digest``."""
        ...


def _blob_name(digest: str) -> tuple[str, str]:
    alg, _, hexpart = check_digest(digest, "blob").partition(":")
    return alg, hexpart


def open_layout_file(root: str, parts: tuple[str, ...]) -> BinaryIO:
    """Open ``root/parts...`` without following a symlink at any component below ``root``."""
    fd = os.open(root, _ROOT)  # the root as given may itself be a symlink: the user named it
    try:
        for part in parts[:-1]:
            nxt = os.open(part, _DIR, dir_fd=fd)
            os.close(fd)
            fd = nxt
        file_fd = os.open(parts[-1], _FILE, dir_fd=fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(file_fd).st_mode):
        os.close(file_fd)
        raise ImageError(f"{root}/{'/'.join(parts)}: not a regular file")
    os.set_blocking(file_fd, True)
    return os.fdopen(file_fd, "rb", buffering=CHUNK)


class _DirStore:
    """An OCI layout in a directory."""

    def __init__(self, root: str) -> None:
        if not os.path.isdir(root):
            raise ImageError(f"{root}: not a directory")
        self.root = root
        self.where = f"oci:{root}"

    def _open(self, parts: tuple[str, ...], what: str) -> BinaryIO:
        try:
            return open_layout_file(self.root, parts)
        except FileNotFoundError:
            raise ImageError(f"{self.where}: missing {what}") from None
        except OSError as exc:
            raise ImageError(f"{self.where}: cannot open {what} ({exc.strerror})") from None

    def read_file(self, name: str, cap: int) -> bytes | None:
        try:
            fh = open_layout_file(self.root, (name,))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ImageError(f"{self.where}: cannot open {name} ({exc.strerror})") from None
        with fh:
            data = fh.read(cap + 1)
        if len(data) > cap:
            raise ImageError(f"{self.where}: {name} is over the {cap}-byte cap")
        return data

    def blob_opener(self, digest: str) -> Callable[[], BinaryIO]:
        alg, hexpart = _blob_name(digest)
        self._open(("blobs", alg, hexpart), f"blob {digest}").close()
        return functools.partial(open_layout_file, self.root, ("blobs", alg, hexpart))

    def blob_stat_key(self, digest: str) -> str | None:
        alg, hexpart = _blob_name(digest)
        with self._open(("blobs", alg, hexpart), f"blob {digest}") as fh:
            st = os.fstat(fh.fileno())
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:0:{st.st_size}"


class _TarStore:
    """An OCI layout inside an (indexed) tar archive."""

    def __init__(self, index: TarIndex) -> None:
        self.index = index
        self.where = f"oci-archive:{index.path}"

    def read_file(self, name: str, cap: int) -> bytes | None:
        if not self.index.has(name):
            return None
        return self.index.read(name, cap)

    def _member(self, digest: str) -> str:
        alg, hexpart = _blob_name(digest)
        name = f"blobs/{alg}/{hexpart}"
        if not self.index.has(name):
            raise ImageError(f"{self.where}: missing blob {digest}")
        return name

    def blob_opener(self, digest: str) -> Callable[[], BinaryIO]:
        return self.index.opener(self._member(digest))

    def blob_stat_key(self, digest: str) -> str | None:
        return self.index.stat_key(self._member(digest))


def _read_blob(store: _Store, desc: Descriptor, cap: int, what: str) -> bytes:
    """A small blob read whole, checked against the descriptor's digest and size."""
    if desc.size > cap:
        raise ImageError(f"{store.where}: {what} {desc.digest} is {desc.size} bytes (cap {cap})")
    with store.blob_opener(desc.digest)() as fh:
        data = fh.read(cap + 1)
    verify(data, desc.digest, f"{store.where}: {what} {desc.digest}", desc.size)
    return data


def _index_entries(doc: Mapping[str, Any], what: str) -> list[Descriptor]:
    entries = doc.get("manifests")
    if not isinstance(entries, list):
        raise ImageError(f"{what}: no manifests list")
    return [descriptor(d, what) for d in entries]


def _expand(store: _Store, entries: list[Descriptor], depth: int) -> list[Descriptor]:
    """Image manifests reachable from ``entries`` (nested indexes followed, depth-bounded)."""
    found: list[Descriptor] = []
    unknown: list[str] = []
    for desc in entries:
        if desc.media_type in MANIFEST_TYPES:
            found.append(desc)
        elif desc.media_type in INDEX_TYPES:
            if depth >= MAX_INDEX_DEPTH:
                raise ImageError(f"{store.where}: indexes nested deeper than {MAX_INDEX_DEPTH}")
            what = f"{store.where}: index {desc.digest}"
            nested = load_json(_read_blob(store, desc, MAX_MANIFEST_BYTES, "index"), what)
            found += _expand(store, _index_entries(nested, what), depth + 1)
        else:
            unknown.append(desc.media_type)
    if not found and unknown:
        raise ImageError(f"{store.where}: unknown media type {unknown[0]!r} in the index")
    return found


def _choose(store: _Store, candidates: list[Descriptor], platform: Platform | None) -> Descriptor:
    """The one image manifest for ``platform`` (default linux/amd64, or the only one)."""
    # BuildKit stores attestations as manifests for platform unknown/unknown: not images.
    images = [c for c in candidates if c.platform != Platform("unknown", "unknown")]
    if not images:
        raise ImageError(f"{store.where}: no image manifest in the index")
    if platform is None and len(images) == 1:
        return images[0]
    request = platform or DEFAULT_PLATFORM
    matching = [c for c in images if c.platform is not None and request.matches(c.platform)]
    if matching:
        return matching[0]
    if len(images) == 1 and images[0].platform is None:
        return images[0]  # no platform to compare here; the config is checked afterwards
    listed = ", ".join(sorted({str(c.platform) for c in images if c.platform})) or "unlabelled"
    if platform is None and all(c.platform is None for c in images):
        raise ImageError(
            f"{store.where}: the layout holds {len(images)} images; name one by tag",
            hint=f"{store.where}:TAG",
        )
    raise ImageError(
        f"{store.where}: no image for platform {request} (available: {listed})",
        hint="choose one with --platform os/arch[/variant]",
    )


def _names(desc: Descriptor) -> set[str]:
    """Names an index entry answers to: its ref name (a tag, per image-layout.md) and the
    full name containerd and Docker 25+ add (``io.containerd.image.name``)."""
    return {desc.annotations.get(k, "") for k in (REF_NAME, _CONTAINERD_NAME)} - {""}


def layout_image(
    store: _Store, *, ref: str, source: str, tag: str | None, platform: str | None
) -> tuple[ImageInfo, list[LayerBlob]]:
    """(ImageInfo, layer blobs) of the image of an OCI layout chosen by tag and platform."""
    where = store.where
    layout = store.read_file("oci-layout", MAX_MANIFEST_BYTES)
    if layout is None:
        raise ImageError(f"{where}: no oci-layout file (not an OCI image layout)")
    version = load_json(layout, f"{where}: oci-layout").get("imageLayoutVersion")
    if not isinstance(version, str) or not version.startswith("1."):
        raise ImageError(f"{where}: unsupported imageLayoutVersion {version!r}")
    index_bytes = store.read_file("index.json", MAX_MANIFEST_BYTES)
    if index_bytes is None:
        raise ImageError(f"{where}: no index.json")
    entries = _index_entries(load_json(index_bytes, f"{where}: index.json"), f"{where}: index.json")
    if tag is not None:
        named = [d for d in entries if tag in _names(d)]
        if not named:
            tags = sorted({name for d in entries for name in _names(d)})
            raise ImageError(
                f"{where}: no image tagged {tag!r} (tags: {', '.join(tags) or 'none'})"
            )
        entries = named
    wanted = parse_platform(platform) if platform else None
    # Each image manifest with the top-level entry it was reached from (for its tags).
    reached = [(m, top) for top in entries for m in _expand(store, [top], 0)]
    chosen = _choose(store, [m for m, _ in reached], wanted)
    what = f"{where}: manifest {chosen.digest}"
    manifest = load_json(_read_blob(store, chosen, MAX_MANIFEST_BYTES, "manifest"), what)
    inner_type = manifest.get("mediaType", chosen.media_type)
    if inner_type != chosen.media_type:
        raise ImageError(f"{what}: media type {inner_type!r} differs from the index's")
    config_desc, layer_descs = parse_manifest(manifest, what)
    config_bytes = _read_blob(store, config_desc, MAX_CONFIG_BYTES, "config")
    notes = manifest.get("annotations")
    annotations = {**chosen.annotations, **(notes if isinstance(notes, dict) else {})}
    top = {t.annotations.get(REF_NAME, "") for m, t in reached if m is chosen} - {""}
    info = image_info(
        ref=ref,
        source=source,
        config_bytes=config_bytes,
        config_digest=config_desc.digest,
        blobs=[BlobInfo(d.digest, d.size, d.media_type) for d in layer_descs],
        manifest_digest=chosen.digest,
        tags=sorted(top),
        annotations={str(k): v for k, v in annotations.items() if isinstance(v, str)},
        what=f"{where}: config {config_desc.digest}",
    )
    if wanted and info.os and info.architecture:
        actual = Platform(info.os, info.architecture)
        if not Platform(wanted.os, wanted.architecture).matches(actual):
            raise ImageError(f"{where}: the image is {actual}, not {wanted}")
    blobs = [
        LayerBlob(
            ref=lref, open=store.blob_opener(d.digest), stat_key=store.blob_stat_key(d.digest)
        )
        for lref, d in zip(info.layers, layer_descs, strict=True)
    ]
    return info, blobs


def open_oci_dir(
    path: str,
    *,
    tag: str | None = None,
    ref: str | None = None,
    platform: str | None = None,
) -> LocalImage:
    """Open the OCI image layout in directory ``path`` (``oci:DIR[:TAG]``)."""
    info, blobs = layout_image(
        _DirStore(path), ref=ref or f"oci:{path}", source="oci", tag=tag, platform=platform
    )
    return LocalImage(info=info, layers=tuple(blobs))


def oci_archive_image(
    index: TarIndex, *, ref: str, tag: str | None = None, platform: str | None = None
) -> LocalImage:
    """The image of an OCI layout inside an indexed tar (``oci-archive:``)."""
    info, blobs = layout_image(
        _TarStore(index), ref=ref, source="oci-archive", tag=tag, platform=platform
    )
    return LocalImage(info=info, layers=tuple(blobs), index=index)


def open_oci_archive(
    path: str,
    *,
    tmpdir: str,
    tag: str | None = None,
    ref: str | None = None,
    platform: str | None = None,
    limits: ArchiveLimits = ArchiveLimits(),  # noqa: B008 - frozen value
) -> LocalImage:
    """Open an OCI layout stored as a tar (plain, gzip or zstd) at ``path``."""
    index = TarIndex(path, tmpdir=tmpdir, limits=limits)
    try:
        return oci_archive_image(
            index, ref=ref or f"oci-archive:{path}", tag=tag, platform=platform
        )
    except BaseException:
        index.close()
        raise
