"""The layer walker: one streaming pass over a layer blob (contract in ``image/walk.py``).

The blob is read once. Its bytes are hashed as they arrive (the blob digest), decompressed
(gzip or zstd, sniffed from the magic bytes; anything else is read as a plain tar) and hashed
again (the diff ID) in large chunks, and the tar headers are parsed from those chunks by our
own streaming reader (``image/tarread.py``): unwanted content is passed over, never copied.
Past the first chunk the hashing runs in a thread while the parsing goes on, over the very
same buffers (``image/digests.py``). Both digests are checked at the end against what the
manifest and config claim; nothing of the layer is returned before they match. Output is
bounded by ``WalkLimits``: the uncompressed size, the compression ratio (decompression bombs)
and the entry count raise ``ImageError``; oversize files, deep or long paths and escaping
names are skipped with a note. Nothing is extracted: wanted files are copied into memory when
small (under a budget) and to temp files in the caller's directory otherwise.

Tar details follow POSIX pax and GNU tar; whiteouts follow the OCI image-spec (layer.md).
"""

from __future__ import annotations

import posixpath
import stat
import sys
import zlib
from collections.abc import Callable
from typing import IO, BinaryIO, cast

from seawall.image.digests import Digests
from seawall.image.fsdir import walk_directory
from seawall.image.spool import (
    CHUNK,
    Notes,
    Readable,
    Spool,
    TruncatedData,
    has_surrogates,
    limit_error,
    normalise,
    show,
)
from seawall.image.tarformat import (
    BLK,
    CHR,
    DIR,
    FIFO,
    LNK,
    REGULAR,
    SYM,
    MetaTooLarge,
    SparseMapError,
    TarFormatError,
)
from seawall.image.tarread import TarEntry, TarReader
from seawall.image.tarstream import (
    GZIP_MAGIC,
    ZSTD_MAGIC,
    Gunzip,
    Raw,
    TarFeed,
    algorithm_of,
)
from seawall.image.walk import ImageError, LayerWalk, SpooledFile, WalkLimits

__all__ = [
    "ImageError",
    "LayerWalk",
    "MetaTooLarge",
    "WalkLimits",
    "walk_directory",
    "walk_layer",
]


def walk_layer(
    stream: BinaryIO,
    *,
    wanted: Callable[[str], bool],
    tmpdir: str,
    expected_diff_id: str | None = None,
    expected_digest: str | None = None,
    limits: WalkLimits = WalkLimits(),  # noqa: B008 - frozen value, safe as a default
    on_file: Callable[[SpooledFile], object] | None = None,
    on_idle: Callable[[], bool] | None = None,
) -> LayerWalk:
    """Walk one layer blob once; see ``seawall.image.walk`` for the contract.

    ``on_file`` is told of each file as soon as it is spooled (a later entry of the layer may
    still replace it, and nothing is verified until the walk returns); ``on_idle`` is run,
    one step at a time until it returns False, whenever the walk waits for its hashing
    thread. Raises ``ImageError`` for structural damage (digest mismatch, truncated or
    corrupt data, a limit exceeded); spooled files of a failed walk are deleted before it is
    raised.
    """
    label = expected_digest or expected_diff_id or "(unnamed)"
    raw_alg = algorithm_of(expected_digest, label)
    tar_alg = algorithm_of(expected_diff_id, label)
    walk = LayerWalk()
    spool = Spool(
        tmpdir,
        memory_file_bytes=limits.memory_file_bytes,
        memory_total_bytes=limits.memory_total_bytes,
    )
    digests: Digests | None = None
    try:
        digests = Digests(raw_alg, tar_alg, idle=on_idle)
        raw = Raw(stream, digests)
        head = raw.sniff(4)
        source: Readable | None = None  # None: a plain tar, read straight from the blob
        if head.startswith(GZIP_MAGIC):
            source = Gunzip(raw)
        elif head.startswith(ZSTD_MAGIC):
            import zstandard  # imported for zstd layers only

            source = zstandard.ZstdDecompressor().stream_reader(
                cast(IO[bytes], raw), read_size=CHUNK, read_across_frames=True, closefd=False
            )
        elif tar_alg == raw_alg:
            digests.forget_tar()  # a plain tar hashed with the blob's algorithm is the blob
        tar = TarFeed(source, raw, limits, label)
        _entries(tar, _State(walk, spool, Notes(walk.notes), wanted, limits, on_file), label)
        tar.drain()  # a plain tar: to the end of the blob
        if source is not None:
            raw.drain()  # a compressed one: whatever follows the compressed stream
        blob_hex, tar_hex = digests.hexdigests()
    except BaseException as exc:
        spool.discard_all()  # structural damage: nothing of this layer is kept
        if digests is not None:
            digests.close()
        error = _as_image_error(exc, label)
        if error is None:
            raise
        raise error from None
    walk.digest = f"{raw_alg}:{blob_hex}"
    walk.diff_id = walk.digest if tar_hex is None else f"{tar_alg}:{tar_hex}"
    _verify(walk, spool, label, expected_digest, expected_diff_id)
    return walk


def _as_image_error(exc: BaseException, label: str) -> ImageError | None:
    """The one-line ``ImageError`` for a failure while streaming a layer (None: re-raise)."""
    if isinstance(exc, ImageError):
        return exc
    if isinstance(exc, (TruncatedData, EOFError)):
        return ImageError(f"layer {label}: truncated: {exc}")
    if isinstance(exc, TarFormatError):  # MetaTooLarge included
        return ImageError(f"layer {label}: corrupt: {exc}")
    zstd = sys.modules.get("zstandard")  # imported if a zstd layer was seen
    if isinstance(exc, zlib.error) or (zstd is not None and isinstance(exc, zstd.ZstdError)):
        text = str(exc) or type(exc).__name__
        kind = "truncated" if "unexpected end" in text else "corrupt"
        return ImageError(f"layer {label}: {kind}: {text}")
    if isinstance(exc, OSError):  # the blob could not be read, or the temp dir written
        return ImageError(f"layer {label}: read failed: {exc.strerror or exc}")
    return None


def _verify(
    walk: LayerWalk, spool: Spool, label: str, digest: str | None, diff_id: str | None
) -> None:
    if digest is not None and digest != walk.digest:
        spool.discard_all()
        raise ImageError(
            f"layer {label}: digest mismatch: the manifest claims {digest}, the blob is {walk.digest}"
        )
    if diff_id is not None and diff_id != walk.diff_id:
        spool.discard_all()
        raise ImageError(
            f"layer {label}: diff ID mismatch: the config claims {diff_id}, "
            f"the uncompressed layer is {walk.diff_id}"
        )


def _entries(tar: TarFeed, state: _State, label: str) -> None:
    """Read the tar members in order, applying each to the state's walk."""
    reader = TarReader(tar)
    entry = state.entry
    count, most = 0, state.limits.max_entries
    while (member := reader.next()) is not None:
        count += 1
        if count > most:
            raise limit_error(f"layer {label}: entries", count, most, "max_entries")
        entry(reader, member)
    state.walk.entries = count
    if state.absolute:
        state.notes.add(
            f"{state.absolute} entries had absolute names (read relative to the image root)"
        )
    state.notes.finish()


class _State:
    """Applies tar members to a ``LayerWalk`` (last entry for a path wins, as extraction does)."""

    def __init__(
        self,
        walk: LayerWalk,
        spool: Spool,
        notes: Notes,
        wanted: Callable[[str], bool],
        limits: WalkLimits,
        on_file: Callable[[SpooledFile], object] | None = None,
    ) -> None:
        self.walk = walk
        self.spool = spool
        self.notes = notes
        self.wanted = wanted
        self.limits = limits
        self._on_file = on_file
        self.absolute = 0
        self._spooled: dict[str, str] = {}  # image path -> temp file

    def _drop(self, path: str) -> None:
        """Forget what an earlier entry recorded at ``path`` (a later entry replaces it)."""
        self.walk.symlinks.pop(path, None)
        if self.walk.files.pop(path, None) is not None:
            self.spool.release(self._spooled.pop(path))

    def _path(self, name: str) -> str | None:
        lim = self.limits
        # A character is at most 4 bytes of UTF-8 (an escaped byte is 1): encode only if needed.
        if len(name) * 4 > lim.max_path_bytes and (
            len(name.encode("utf-8", "surrogateescape")) > lim.max_path_bytes
        ):
            self.notes.add(f"skipped an entry with a {len(name)}-character name ({show(name, 80)})")
            return None
        if "\x00" in name:
            self.notes.add(f"skipped an entry with a NUL in its name ({show(name)})")
            return None
        path = normalise(name)
        if path is None:
            self.notes.add(f"skipped {show(name)}: its name climbs out of the image root")
            return None
        if path.count("/") > lim.max_depth:
            self.notes.add(f"skipped {show(path, 80)}: deeper than {lim.max_depth} levels")
            return None
        if name.startswith("/"):
            self.absolute += 1
        return path

    def entry(self, reader: TarReader, member: TarEntry) -> None:
        """Apply one member."""
        path = self._path(member.name)
        if path is None or path == "/":
            return
        base = path[path.rfind("/") + 1 :]
        if base.startswith(".wh."):
            self._whiteout(path, base)
            return
        kind = member.type
        if kind == DIR:
            # Nothing of a directory is kept, so no analyzer is asked about it (one entry in
            # nine); it only replaces what an earlier entry kept at its path.
            if path in self.walk.files or path in self.walk.symlinks:
                self.notes.add(f"{show(path)}: duplicate entry in the layer; the last one wins")
                self._drop(path)
            return
        want = self.wanted(path)
        if want and has_surrogates(path):
            self.notes.add(f"{show(path)}: name is not valid UTF-8 (kept as raw bytes)")
        if want and (path in self.walk.files or path in self.walk.symlinks):
            self.notes.add(f"{show(path)}: duplicate entry in the layer; the last one wins")
        self._drop(path)
        if kind in REGULAR:
            if want:
                self._regular(reader, member, path)
        elif kind == SYM:
            if want:
                self.walk.symlinks[path] = member.linkname
        elif kind == LNK:
            if want:
                self._hardlink(member, path)
        elif want:
            self.notes.add(f"{show(path)}: {_kind(kind)} ignored")

    def _whiteout(self, path: str, base: str) -> None:
        parent = posixpath.dirname(path)
        name = base[len(".wh.") :]
        if name == ".wh..opq":
            self.walk.opaque.add(parent)
        elif name.startswith(".wh."):
            return  # AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not a deletion
        elif name in ("", ".", "..") or "/" in name:
            self.notes.add(f"skipped whiteout {show(path)}: it names no file")
        else:
            self.walk.whiteouts.add(posixpath.join(parent, name))

    def _regular(self, reader: TarReader, member: TarEntry, path: str) -> None:
        if member.size > self.limits.max_file_bytes:
            self.notes.add(
                f"{show(path)}: {member.size} bytes is over the per-file limit "
                f"({self.limits.max_file_bytes}, max_file_bytes); not read"
            )
            return
        mode = stat.S_IFREG | (member.mode & 0o7777)
        try:
            spooled = self.spool.write(lambda out: reader.copy_data(member, out), member.size)
        except SparseMapError as exc:
            self.notes.add(f"{show(path)}: {exc}; not read")
            return
        except TruncatedData as exc:
            raise TruncatedData(f"{show(path)}: {exc}") from None
        self._keep(path, spooled, member.size, mode)

    def _hardlink(self, member: TarEntry, path: str) -> None:
        target = normalise(member.linkname)
        if target is None:
            self.notes.add(f"{show(path)}: hard link climbs out of the image root; ignored")
            return
        found = self.walk.files.get(target)
        if found is None or target not in self._spooled:
            self.notes.add(
                f"{show(path)}: hard link to {show(target)}, whose content was not kept "
                "from this layer; ignored"
            )
            return
        spooled = self._spooled[target]
        self.spool.retain(spooled)
        self._keep(path, spooled, found.size, found.mode)

    def _keep(self, path: str, spooled: str, size: int, mode: int) -> None:
        self._spooled[path] = spooled
        kept = self.walk.files[path] = self.spool.file(path, spooled, size, mode)
        if self._on_file is not None:
            self._on_file(kept)


def _kind(kind: int) -> str:
    if kind == CHR:
        return "character device"
    if kind == BLK:
        return "block device"
    if kind == FIFO:
        return "FIFO"
    return f"entry of tar type {bytes([kind])!r}"
