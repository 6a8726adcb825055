"""A streaming tar reader: ustar, GNU and pax headers parsed straight from 512-byte blocks.

``TarReader`` walks the headers of a tar stream served by a ``BlockSource`` (``take`` whole
blocks, ``skip`` or ``copy`` an entry's data) and returns one ``TarEntry`` per member, with
the metadata records that precede it (pax ``x``/``g``, GNU long names ``L``/``K``) folded in.
Only what the walkers use is parsed; everything is bounded: a metadata record over
``MAX_META_BYTES``, more than ``MAX_CHAIN`` records before one member, or too many global pax
keys is refused before it is read. Sparse files (old GNU ``S`` headers, pax sparse formats
0.0, 0.1 and 1.0) are expanded on copy, their holes as zeros.

Formats: POSIX.1-1988 ustar and POSIX.1-2001 pax (IEEE Std 1003.1, "pax" utility), GNU tar's
``oldgnu`` headers, long names and sparse formats (GNU tar manual, "Tar Internals"). Names
are decoded as UTF-8, undecodable bytes kept with ``surrogateescape``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

from seawall.image.spool import CHUNK, TruncatedData
from seawall.image.tarformat import (
    AREG,
    BLOCK,
    DIR,
    GNU_LONGLINK,
    GNU_LONGNAME,
    GNU_SPARSE,
    HEADER_ONLY,
    MAX_CHAIN,
    MAX_GLOBAL_PAX_BYTES,
    MAX_GLOBAL_PAX_KEYS,
    MAX_META_BYTES,
    META,
    PAX_GLOBAL,
    PAX_KEYS,
    REGULAR,
    STAR_TRAILER,
    USTAR,
    ZERO_BLOCK,
    BlockSource,
    MetaTooLarge,
    SparseMapError,
    TarFormatError,
    check_map,
    check_numbers,
    checksum_ok,
    decimal,
    number,
    padded,
    pairs,
    parse_pax,
    text,
)


class TarEntry:
    """One tar member: its name, type flag (an int), content size and link target.

    ``size`` is the content size (a sparse file's full size); ``stored`` is the number of
    data bytes that follow the header in the archive, at ``data_offset``.
    """

    __slots__ = ("_header", "data_offset", "linkname", "name", "size", "sparse", "stored", "type")

    def __init__(self, header: bytes, name: str, kind: int, size: int, linkname: str) -> None:
        self._header = header
        self.name = name
        self.type = kind
        self.size = size
        self.stored = size
        self.linkname = linkname
        self.data_offset = 0
        #: None, or the (offset, length) map of a sparse file; () when it leads the data.
        self.sparse: list[tuple[int, int]] | tuple[()] | None = None

    @property
    def mode(self) -> int:
        """Permission bits from the header (parsed on demand)."""
        return number(self._header[100:108])


class TarReader:
    """Reads members one by one; the unread data of a member is skipped by the next ``next``."""

    def __init__(self, source: BlockSource) -> None:
        self._src = source
        self._skip = 0
        self._globals: dict[str, str] = {}  # keys of global pax headers (values: ours only)
        self._global_bytes = 0
        self._applied: dict[str, str] = {}  # the global values that change members
        #: Where the end-of-archive block was found (after ``next`` returned None).
        self.end = -1

    def next(self) -> TarEntry | None:
        """The next member, or None at the end-of-archive block."""
        src = self._src
        if self._skip:
            src.skip(self._skip)
            self._skip = 0
        meta: dict[str, str] | None = None
        chain = 0
        while True:
            offset = src.offset
            block = src.take(BLOCK)
            if len(block) != BLOCK:
                raise self._short(offset + len(block), meta is not None)
            if block == ZERO_BLOCK:
                if meta is not None:  # a global header needs no member after it; others do
                    raise TarFormatError(
                        f"end-of-archive block after a metadata record at {offset}"
                    )
                self.end = offset
                return None
            try:
                if not checksum_ok(block):
                    raise TarFormatError("bad checksum")
                size = number(block[124:136])
                check_numbers(block)
            except TarFormatError as exc:
                raise TarFormatError(f"invalid tar header at byte {offset} ({exc})") from None
            if size < 0:
                raise TarFormatError(f"invalid tar header at byte {offset} (negative size)")
            kind = block[156]
            if kind not in META:
                return self._entry(block, kind, size, meta)
            chain += 1
            if chain > MAX_CHAIN:
                raise TarFormatError(f"more than {MAX_CHAIN} tar metadata records in a row")
            meta = self._meta(kind, size, meta)

    @staticmethod
    def _short(at: int, in_chain: bool) -> TruncatedData:
        if at == 0:
            return TruncatedData("no tar data")
        if in_chain:
            return TruncatedData(f"tar stream ends at byte {at} after a metadata record")
        return TruncatedData(f"tar stream ends at byte {at} without an end-of-archive block")

    def _meta(self, kind: int, size: int, meta: dict[str, str] | None) -> dict[str, str] | None:
        """Read one metadata record: a global one into the reader, others into ``meta``.

        The first value of a field wins (as in tarfile, where the outermost record is applied
        last). Returns the member's metadata so far (None while only global records came).
        """
        if size > MAX_META_BYTES:
            raise MetaTooLarge(f"a tar metadata record claims {size} bytes")
        if kind == PAX_GLOBAL and len(self._globals) > MAX_GLOBAL_PAX_KEYS:
            raise MetaTooLarge("too many global pax header keys")
        want = padded(size)
        buf = self._src.take(want)
        if len(buf) != want:
            raise TruncatedData(
                f"tar stream ends inside a metadata record at byte {self._src.offset}"
            )
        if kind == PAX_GLOBAL:
            self._global(buf)
            return meta
        meta = {} if meta is None else meta
        if kind == GNU_LONGNAME:
            meta.setdefault("path", text(buf))
        elif kind == GNU_LONGLINK:
            meta.setdefault("linkpath", text(buf))
        elif b"path=" in buf or b"size=" in buf or b"GNU.sparse." in buf:
            found: dict[str, str] = {}
            sparse = parse_pax(buf, found, PAX_KEYS)
            if "path" in found:
                found["path"] = found["path"].rstrip("/")
            if sparse and "sparse.00" not in meta:
                meta["sparse.00"] = ",".join(map(str, sparse))
            for key, value in found.items():
                meta.setdefault(key, value)
        return meta

    def _global(self, buf: bytes) -> None:
        """A global pax header: its keys count against the caps; ours apply to what follows."""
        found: dict[str, str] = {}
        parse_pax(buf, found, None)
        for key, value in found.items():
            kept = value if key in PAX_KEYS else ""
            old = self._globals.get(key)
            if old is not None:
                self._global_bytes -= len(key) + len(old)
            self._global_bytes += len(key) + len(kept)
            self._globals[key] = kept
            if key in PAX_KEYS:
                self._applied[key] = value.rstrip("/") if key == "path" else value
        if self._global_bytes > MAX_GLOBAL_PAX_BYTES:
            raise MetaTooLarge(f"global pax headers hold over {MAX_GLOBAL_PAX_BYTES} bytes")

    def _entry(self, block: bytes, kind: int, size: int, meta: dict[str, str] | None) -> TarEntry:
        """The member whose header is ``block``, with its metadata records applied."""
        raw = block[0:100]
        end = raw.find(0)
        name = (raw if end < 0 else raw[:end]).decode("utf-8", "surrogateescape")
        if kind == AREG and name.endswith("/"):
            kind = DIR  # old V7 tars mark directories with a trailing slash
        if block[345] and block[257:263] == USTAR and kind != GNU_SPARSE:
            # ustar: name = prefix "/" name (star's prefix is shorter: times follow it)
            prefix = block[345:476] if block[508:512] == STAR_TRAILER else block[345:500]
            name = text(prefix) + "/" + name
        linkname = text(block[157:257]) if block[157] else ""
        entry = TarEntry(block, name, kind, size, linkname)
        if self._applied:
            meta = {**self._applied, **(meta or {})}
        if meta:
            self._apply(entry, meta)
        if kind == DIR:
            entry.name = entry.name.rstrip("/")
        if kind == GNU_SPARSE:
            self._old_gnu_sparse(entry, block)
        entry.data_offset = self._src.offset
        if kind not in HEADER_ONLY:
            self._skip = padded(entry.stored)
        return entry

    def _apply(self, entry: TarEntry, meta: dict[str, str]) -> None:
        """Pax and GNU long-name fields over the header's; GNU sparse maps (0.0, 0.1, 1.0)."""
        if "path" in meta:
            entry.name = meta["path"]
        if "linkpath" in meta:
            entry.linkname = meta["linkpath"]
        if "size" in meta:
            entry.size = entry.stored = decimal(meta["size"])
        if entry.type not in REGULAR:
            return
        if "GNU.sparse.name" in meta:
            entry.name = meta["GNU.sparse.name"]
        if "GNU.sparse.map" in meta:  # GNU sparse 0.1
            spec = meta["GNU.sparse.map"]
            entry.sparse = pairs([decimal(v) for v in spec.split(",")] if spec else [])
        elif "GNU.sparse.size" in meta:  # GNU sparse 0.0
            spec = meta.get("sparse.00", "")
            entry.sparse = pairs([int(v) for v in spec.split(",")] if spec else [])
        elif meta.get("GNU.sparse.major") == "1" and meta.get("GNU.sparse.minor") == "0":
            entry.sparse = ()  # GNU sparse 1.0: the map leads the data
        if entry.sparse is not None:
            real = meta.get("GNU.sparse.realsize", meta.get("GNU.sparse.size"))
            if real is None:
                raise TarFormatError(f"{entry.name[:200]!r}: sparse member without a size")
            entry.size = decimal(real)

    def _old_gnu_sparse(self, entry: TarEntry, block: bytes) -> None:
        """GNU ``S`` header: four map slots in the header, then extension blocks of 21."""
        numbers = [number(block[p : p + 12]) for p in range(386, 482, 12)]
        extended, blocks = block[482], 0
        while extended:
            blocks += 1
            if blocks * BLOCK > MAX_META_BYTES:
                raise MetaTooLarge(f"a tar sparse map is over {MAX_META_BYTES} bytes")
            ext = self._src.take(BLOCK)
            if len(ext) != BLOCK:
                raise TruncatedData("tar stream ends inside a sparse map")
            numbers += [number(ext[p : p + 12]) for p in range(0, 504, 12)]
            extended = ext[504]
        if entry.sparse is None:
            entry.sparse = pairs(numbers)
            entry.size = number(block[483:495])
            if entry.size < 0:
                raise TarFormatError(f"{entry.name[:200]!r}: negative sparse file size")

    def copy_data(self, entry: TarEntry, out: BinaryIO) -> None:
        """Write a regular member's content to ``out`` (sparse holes as zeros).

        ``SparseMapError`` when the member's sparse map is invalid: nothing usable was
        written, and the rest of the member is skipped by the next ``next``.
        """
        src, left = self._src, entry.stored
        self._skip = padded(left) - left  # the padding; the data is consumed here
        if entry.sparse is None:
            src.copy(left, out.write)
            return
        sparse = entry.sparse
        if not sparse and isinstance(sparse, tuple):
            sparse, used = self._map_in_data(left)
            left -= used
        try:
            check_map(sparse, entry.size, left)
        except SparseMapError:
            self._skip += left
            raise
        end = 0
        for start, length in sparse:
            out.seek(start)
            src.copy(length, out.write)
            left, end = left - length, start + length
        if end < entry.size:  # a hole at the end: write its last byte so the size is right
            out.seek(entry.size - 1)
            out.write(b"\x00")
        self._skip += left

    def _map_in_data(self, stored: int) -> tuple[list[tuple[int, int]], int]:
        """GNU sparse 1.0: a decimal count, then offset/length pairs, one per line."""
        values: list[int] = []
        buf, pos, scanned, count = bytearray(), 0, 0, -1
        while count < 0 or len(values) < 2 * count:
            eol = buf.find(b"\n", max(pos, scanned))
            if eol < 0:
                if len(buf) + BLOCK > min(stored, MAX_META_BYTES):
                    self._skip += stored - len(buf)
                    raise SparseMapError("invalid sparse map (too long or past the data)")
                piece = self._src.take(BLOCK)
                if len(piece) != BLOCK:
                    raise TruncatedData("tar stream ends inside a sparse map")
                scanned = len(buf)
                buf += piece
                continue
            line, pos = buf[pos:eol], eol + 1
            try:
                value = decimal(line)
            except TarFormatError:
                self._skip += stored - len(buf)
                raise SparseMapError("invalid sparse map (not a number)") from None
            if count < 0:
                count = value
            else:
                values.append(value)
        return pairs(values), len(buf)


class FileBlocks:
    """A tar file on disk as a ``BlockSource`` for indexing it: headers are read with
    ``pread``; members' data is skipped without being read."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        self.offset = 0

    def __enter__(self) -> FileBlocks:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)

    def take(self, n: int) -> bytes:
        data = os.pread(self._fd, n, self.offset)
        self.offset += len(data)
        return data

    def skip(self, n: int) -> None:
        self.offset += n  # past the end: the next header read comes back short

    def copy(self, n: int, write: Callable[[memoryview], object]) -> None:
        while n > 0:
            data = self.take(min(n, CHUNK))
            if not data:
                raise TruncatedData(f"content ends {n} bytes early")
            write(memoryview(data))
            n -= len(data)
