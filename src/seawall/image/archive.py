"""Tar archives of images on disk, and the ``docker save`` format (``docker-archive:PATH``).

``TarIndex`` reads a tar archive's headers once and serves members by offset: ``open()``
returns a reader bounded to one member's bytes in the archive file, so a layer is streamed
straight from the archive, never copied. A gzip- or zstd-compressed archive (``docker save |
gzip``) is first decompressed once into the scan's temp dir, bounded by ``ArchiveLimits``.
Member names are normalised like layer entries; names climbing out of the archive are ignored
and links between members are followed inside the archive only.

The ``docker save`` format: ``manifest.json`` lists, per image, its config file, tags and
layer files (``<id>/layer.tar`` in the legacy layout, ``blobs/sha256/<hex>`` since Docker 25).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import stat
import tempfile
import zlib
from dataclasses import dataclass
from typing import Any, BinaryIO

from seawall.image.manifest import (
    DOCKER_LAYER_TAR,
    MAX_CONFIG_BYTES,
    MAX_LAYERS,
    BlobInfo,
    check_digest,
    digest_of,
    image_info,
    parse_json,
    verify,
)
from seawall.image.source import LayerBlob
from seawall.image.spool import CHUNK, TruncatedData, normalise
from seawall.image.tarformat import DIR, GNU_SPARSE, LNK, REGULAR, SYM, TarFormatError
from seawall.image.tarread import FileBlocks, TarEntry, TarReader
from seawall.image.walk import ImageError
from seawall.model.inventory import ImageInfo


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Documented limits for image archives; exceeding one is an ``ImageError``."""

    #: Size of a compressed archive once decompressed into the temp dir.
    max_decompressed_bytes: int = 64 * 1024**3
    #: Decompressed/compressed ratio past ``ratio_floor_bytes`` (decompression bombs).
    max_ratio: int = 200
    ratio_floor_bytes: int = 1024**3
    #: Members of one archive (an image archive holds a few per layer).
    max_members: int = 100_000
    #: ``manifest.json``/``index.json``/configs read whole.
    max_json_bytes: int = MAX_CONFIG_BYTES


@dataclass(frozen=True, slots=True)
class _Member:
    offset: int
    size: int
    kind: str  # "file", "dir", "link" (symlink or hard link)
    target: str = ""  # normalised archive path of a link's target


class _Window(io.RawIOBase):
    """Bytes ``[offset, offset + size)`` of a file, read with ``pread`` (own descriptor)."""

    def __init__(self, path: str, offset: int, size: int) -> None:
        super().__init__()
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        self._offset = offset
        self._size = size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._size - self._pos)
        if want <= 0:
            return 0
        # Straight into the caller's buffer: no bytes object per read, no second copy.
        got = os.preadv(self._fd, [view[:want]], self._offset + self._pos)
        self._pos += got
        return got

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


def open_window(path: str, offset: int, size: int) -> BinaryIO:
    """A buffered reader over ``size`` bytes of ``path`` at ``offset`` (picklable via partial)."""
    return io.BufferedReader(_Window(path, offset, size), buffer_size=CHUNK)


def _decompress(src: str, tmpdir: str, limits: ArchiveLimits) -> str | None:
    """Decompress a gzip/zstd archive into ``tmpdir``; ``None`` when it is not compressed."""
    with open(src, "rb") as fh:
        head = fh.read(4)
        gzipped = head.startswith(b"\x1f\x8b")
        if not gzipped and head != b"\x28\xb5\x2f\xfd":
            return None
        # Imported only now: most archives are plain tars (zstandard also for its errors).
        import gzip

        import zstandard

        fh.seek(0)
        reader: Any = (
            gzip.GzipFile(fileobj=fh, mode="rb")
            if gzipped
            else zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True)
        )
        fd, out_path = tempfile.mkstemp(dir=tmpdir, prefix="archive-", suffix=".tar")
        total = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK):
                    total += len(chunk)
                    _check_growth(src, total, fh.tell(), limits)
                    out.write(chunk)
        except (OSError, EOFError, zlib.error, zstandard.ZstdError) as exc:
            os.unlink(out_path)
            raise ImageError(f"{src}: cannot decompress the archive ({exc})") from None
        except ImageError:
            os.unlink(out_path)
            raise
    return out_path


def _check_growth(src: str, total: int, compressed: int, limits: ArchiveLimits) -> None:
    if total > limits.max_decompressed_bytes:
        raise ImageError(
            f"{src}: decompressed archive is over {limits.max_decompressed_bytes} bytes "
            "(ArchiveLimits.max_decompressed_bytes)"
        )
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(compressed, 1):
        raise ImageError(
            f"{src}: decompresses more than {limits.max_ratio} times its size "
            "(a decompression bomb? ArchiveLimits.max_ratio)"
        )


class TarIndex:
    """An image archive on disk, indexed by member name; members read in place by offset."""

    def __init__(
        self,
        path: str,
        *,
        tmpdir: str,
        limits: ArchiveLimits = ArchiveLimits(),
    ) -> None:
        self.path = path
        self.limits = limits
        try:
            st = os.stat(path)
        except OSError as exc:
            raise ImageError(f"{path}: cannot read ({exc.strerror})") from None
        if not stat.S_ISREG(st.st_mode):
            raise ImageError(f"{path}: not a regular file")
        # The stat key names the archive as given (a decompressed copy is new on every run).
        self._stat = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
        self._temp = _decompress(path, tmpdir, limits)
        self.file = self._temp or path
        self.members: dict[str, _Member] = {}
        self._index()

    def _index(self) -> None:
        size = os.path.getsize(self.file)
        with FileBlocks(self.file) as headers:
            reader = TarReader(headers)
            count = 0
            try:
                while (m := reader.next()) is not None:
                    count += 1
                    if count > self.limits.max_members:
                        raise ImageError(
                            f"{self.path}: more than {self.limits.max_members} members "
                            "(ArchiveLimits.max_members)"
                        )
                    self._add(m, size)
            except (TarFormatError, TruncatedData) as exc:
                # Damage before the first member: not a tar at all; later on: a damaged one.
                if count == 0:
                    raise ImageError(f"{self.path}: not a readable tar archive ({exc})") from None
                raise ImageError(f"{self.path}: truncated or corrupt tar archive ({exc})") from None

    def _add(self, m: TarEntry, file_size: int) -> None:
        path = normalise(m.name)
        if path is None or path == "/":
            return
        name = path[1:]
        if m.type in REGULAR:
            if m.type == GNU_SPARSE or m.sparse is not None:
                return  # a sparse member's bytes are not its content: never an image file
            if m.data_offset + m.size > file_size:
                raise ImageError(f"{self.path}: truncated: member {name} ends past the archive")
            self.members[name] = _Member(m.data_offset, m.size, "file")
        elif m.type == DIR:
            self.members[name] = _Member(0, 0, "dir")
        elif m.type in (SYM, LNK):
            base = posixpath.dirname(path) if m.type == SYM else "/"
            target = normalise(posixpath.join(base, m.linkname))
            if target is not None:
                self.members[name] = _Member(0, 0, "link", target[1:])

    def _resolve(self, name: str) -> _Member | None:
        member = self.members.get(name)
        for _ in range(16):  # links between members, followed a bounded number of times
            if member is None or member.kind != "link":
                return member
            member = self.members.get(member.target)
        return None

    def has(self, name: str) -> bool:
        """Is ``name`` a regular file of the archive (after following member links)?"""
        member = self._resolve(name)
        return member is not None and member.kind == "file"

    def size(self, name: str) -> int:
        """Size of member ``name``."""
        return self._file(name).size

    def _file(self, name: str) -> _Member:
        member = self._resolve(name)
        if member is None or member.kind != "file":
            raise ImageError(f"{self.path}: missing member {name}")
        return member

    def open(self, name: str) -> BinaryIO:
        """A reader over member ``name``'s bytes."""
        member = self._file(name)
        return open_window(self.file, member.offset, member.size)

    def opener(self, name: str) -> functools.partial[BinaryIO]:
        """A picklable callable returning ``open(name)``."""
        member = self._file(name)
        return functools.partial(open_window, self.file, member.offset, member.size)

    def stat_key(self, name: str) -> str:
        """Identifies member ``name``'s bytes: the archive's device, inode, size, mtime + span."""
        member = self._file(name)
        return f"{self._stat}:{member.offset}:{member.size}"

    def read(self, name: str, cap: int | None = None) -> bytes:
        """Member ``name`` whole; ``ImageError`` when it is over ``cap`` bytes."""
        cap = self.limits.max_json_bytes if cap is None else cap
        member = self._file(name)
        if member.size > cap:
            raise ImageError(f"{self.path}: {name} is {member.size} bytes, over the {cap}-byte cap")
        with self.open(name) as fh:
            return fh.read(cap + 1)

    def close(self) -> None:
        """Delete the decompressed copy, if one was made."""
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
            self._temp = None


@dataclass(frozen=True, slots=True)
class LocalImage:
    """An image read from local files (an archive or an OCI directory); closes its archive index."""

    info: ImageInfo
    layers: tuple[LayerBlob, ...]
    index: TarIndex | None = None

    def close(self) -> None:
        """Delete the decompressed copy of the archive, if any."""
        if self.index is not None:
            self.index.close()


def _entry(doc: object, index: TarIndex, selector: str | None) -> dict[str, Any]:
    """The ``manifest.json`` entry to read: the only one, or the one ``selector`` names."""
    what = f"{index.path}: manifest.json"
    if not isinstance(doc, list) or not doc or not all(isinstance(e, dict) for e in doc):
        raise ImageError(f"{what}: expected a non-empty list of objects")
    entries: list[dict[str, Any]] = doc
    if selector is None:
        if len(entries) == 1:
            return entries[0]
        names = sorted(t for e in entries for t in (e.get("RepoTags") or []) if isinstance(t, str))
        raise ImageError(
            f"{index.path}: the archive holds {len(entries)} images; name one",
            hint=f"docker-archive:{index.path}:TAG (tags: {', '.join(names) or 'none'}) or :@N",
        )
    if selector.startswith("@") and selector[1:].isdigit():
        n = int(selector[1:])
        if n < len(entries):
            return entries[n]
        raise ImageError(f"{what}: no image @{n} (the archive holds {len(entries)})")
    wanted = {selector, f"{selector}:latest"}
    for e in entries:
        tags = e.get("RepoTags") or []
        if isinstance(tags, list) and any(_short(t) in wanted for t in tags):
            return e
    raise ImageError(f"{what}: no image tagged {selector}")


def _short(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    for prefix in ("docker.io/library/", "docker.io/"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _member_digest(name: str) -> str | None:
    """``blobs/sha256/<hex>`` names carry their digest; legacy ``<id>/layer.tar`` do not."""
    parts = name.split("/")
    if len(parts) == 3 and parts[0] == "blobs":
        try:
            return check_digest(f"{parts[1]}:{parts[2]}", name)
        except ImageError:
            return None
    return None


def docker_archive_image(
    index: TarIndex,
    *,
    ref: str,
    source: str = "docker-archive",
    selector: str | None = None,
) -> LocalImage:
    """Read the ``docker save`` layout from an indexed archive."""
    if not index.has("manifest.json"):
        raise ImageError(f"{index.path}: no manifest.json (not a docker save archive)")
    doc = parse_json(index.read("manifest.json"), f"{index.path}: manifest.json")
    entry = _entry(doc, index, selector)
    config_name, layer_names = entry.get("Config"), entry.get("Layers")
    if not isinstance(config_name, str) or not isinstance(layer_names, list):
        raise ImageError(f"{index.path}: manifest.json: entry without Config or Layers")
    if len(layer_names) > MAX_LAYERS:
        raise ImageError(f"{index.path}: {len(layer_names)} layers is over {MAX_LAYERS}")
    config_path = normalise(config_name)
    if config_path is None or not index.has(config_path[1:]):
        raise ImageError(f"{index.path}: config {config_name!r} is missing from the archive")
    config_bytes = index.read(config_path[1:])
    config_digest = digest_of(config_bytes)
    claimed = _member_digest(config_path[1:])
    if claimed is None and config_path.endswith(".json"):
        claimed = f"sha256:{posixpath.basename(config_path)[:-5]}"
    if claimed is not None and claimed.startswith("sha256:"):
        verify(config_bytes, claimed, f"{index.path}: config {config_name}")
    sources = entry.get("LayerSources")
    sources = sources if isinstance(sources, dict) else {}
    names: list[str] = []
    blobs: list[BlobInfo] = []
    for raw_name in layer_names:
        path = normalise(raw_name) if isinstance(raw_name, str) else None
        if path is None or not index.has(path[1:]):
            raise ImageError(f"{index.path}: layer {str(raw_name)[:200]!r} is missing")
        digest = _member_digest(path[1:])
        described = sources.get(digest) if digest else None
        media = described.get("mediaType") if isinstance(described, dict) else None
        names.append(path[1:])
        blobs.append(BlobInfo(digest, index.size(path[1:]), _str(media) or DOCKER_LAYER_TAR))
    tags = tuple(t for t in entry.get("RepoTags") or () if isinstance(t, str))
    info = image_info(
        ref=ref,
        source=source,
        config_bytes=config_bytes,
        config_digest=config_digest,
        blobs=blobs,
        tags=tags,
        what=f"{index.path}: config {config_name}",
    )
    layers = tuple(
        LayerBlob(ref=lref, open=index.opener(name), stat_key=index.stat_key(name))
        for lref, name in zip(info.layers, names, strict=True)
    )
    return LocalImage(info=info, layers=layers, index=index)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def open_docker_archive(
    path: str,
    *,
    tmpdir: str,
    ref: str | None = None,
    selector: str | None = None,
    limits: ArchiveLimits = ArchiveLimits(),
) -> LocalImage:
    """Open a ``docker save`` archive (plain, gzip or zstd) at ``path``.

    ``selector`` picks one image of a multi-image archive (a tag, or ``@N``); ``ref`` is the
    reference as the user gave it (defaults to ``docker-archive:PATH``).
    """
    index = TarIndex(path, tmpdir=tmpdir, limits=limits)
    try:
        return docker_archive_image(index, ref=ref or f"docker-archive:{path}", selector=selector)
    except BaseException:
        index.close()
        raise
