"""A bounded, streaming ZIP reader for the Java analyzer (PKWARE APPNOTE 6.3: sections 4.3-4.5).

Unlike ``zipfile`` it never holds the central directory in memory: ``members()`` streams the
records, so an archive claiming millions of entries costs time up to ``max_entries`` and no
memory. Member data is read through a ``Window`` on the archive's stream (no copy for stored
members, which is how Spring Boot nests its jars) and inflated chunk by chunk up to a caller's
limit, with the CRC and size checked at the end. Nothing is ever extracted: member names are
only compared, so ``..``, absolute or odd names cannot reach the filesystem. Prefixed data
(self-executing jars with a launch script in front) is handled like ``zipfile`` does, by
shifting every offset by the distance between the recorded and the real directory position.
Damage raises ``ZipError``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

STORED, DEFLATED = 0, 8
MAX_ENTRIES = 262_144
_CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_Z64_LOCATOR = b"PK\x06\x07"
_Z64_EOCD = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_CENTRAL_FMT = "<4sHHHHHHIIIHHHHHII"  # 46 bytes
_LOCAL_FMT = "<4sHHHHHIIIHH"  # 30 bytes


class ZipError(ValueError):
    """The archive (or one member) is damaged, unsupported or over a limit."""


class Stream(Protocol):
    """What the reader needs from a stream: seekable binary reads."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes."""
        ...

    def seek(self, offset: int, whence: int = 0, /) -> int:
        """Move; returns the new position."""
        ...


class Window:
    """A read-only, seekable view of ``length`` bytes at ``start`` of another stream.

    Every read seeks the base stream first, so windows and the archive reader can share it.
    """

    def __init__(self, base: Stream, start: int, length: int) -> None:
        self._base, self._start, self._length, self._pos = base, start, length, 0

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes from the current position (all remaining when negative)."""
        left = self._length - self._pos
        size = left if size < 0 else min(size, left)
        if size <= 0:
            return b""
        self._base.seek(self._start + self._pos)
        data = self._base.read(size)
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = 0, /) -> int:
        """Move within the window (clamped to its bounds)."""
        base = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, min(self._length, base + offset))
        return self._pos


@dataclass(frozen=True, slots=True)
class Member:
    """One central-directory record: name, method, flags, CRC, sizes and local header offset."""

    name: str
    method: int
    flags: int
    crc: int
    csize: int
    usize: int
    offset: int

    @property
    def is_dir(self) -> bool:
        """Whether the record names a directory."""
        return self.name.endswith("/")


def stream_size(fh: Stream) -> int:
    """The real size of a seekable stream."""
    end = fh.seek(0, 2)
    fh.seek(0)
    return end


def _read_at(fh: Stream, size: int, offset: int, length: int, what: str) -> bytes:
    if offset < 0 or offset + length > size:
        raise ZipError(f"{what} lies outside the archive")
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise ZipError(f"{what} is truncated")
    return data


class ZipReader:
    """The central directory of one archive, streamed; members read with bounds."""

    def __init__(self, fh: Stream, size: int, max_entries: int = MAX_ENTRIES) -> None:
        self._fh, self._size = fh, size
        tail_len = min(size, _EOCD_SIZE + 0xFFFF)
        tail = _read_at(fh, size, size - tail_len, tail_len, "end of archive")
        pos = tail.rfind(_EOCD)
        if pos < 0 or len(tail) - pos < _EOCD_SIZE:
            raise ZipError("not a zip archive (no end of central directory record)")
        eocd_at = size - tail_len + pos
        _, disk, cd_disk, _, count, cd_size, cd_offset, _ = struct.unpack(
            "<4sHHHHIIH", tail[pos : pos + 22]
        )
        cd_end = eocd_at
        if 0xFFFF in (count, disk) or 0xFFFFFFFF in (cd_size, cd_offset):
            cd_end, disk, cd_disk, count, cd_size, cd_offset = self._zip64(eocd_at)
        if disk != 0 or cd_disk != 0:
            raise ZipError("multi-volume archives are not supported")
        if count > max_entries:
            raise ZipError(f"{count} entries is over the limit of {max_entries}")
        # The directory really starts cd_size bytes before its end record: anything in front of
        # the archive (a launch script) shifts all recorded offsets by the same amount.
        self._shift = cd_end - cd_size - cd_offset
        if self._shift < 0 or cd_end - cd_size < 0:
            raise ZipError("central directory lies outside the archive")
        self._cd_start, self._cd_size, self.count = cd_end - cd_size, cd_size, count

    def _zip64(self, eocd_at: int) -> tuple[int, int, int, int, int, int]:
        loc = _read_at(self._fh, self._size, eocd_at - 20, 20, "zip64 locator")
        sig, _, rec_offset, _ = struct.unpack("<4sIQI", loc)
        if sig != _Z64_LOCATOR:
            raise ZipError("zip64 end record is missing")
        rec_at = eocd_at - 20 - 56  # the record sits right before its locator (no extensible data)
        rec = _read_at(self._fh, self._size, rec_at, 56, "zip64 end record")
        sig, _, _, _, disk, cd_disk, _, count, cd_size, cd_offset = struct.unpack(
            "<4sQHHIIQQQQ", rec
        )
        if sig != _Z64_EOCD or rec_offset > rec_at:
            raise ZipError("zip64 end record is damaged")
        return rec_at, disk, cd_disk, count, cd_size, cd_offset

    def members(self) -> Iterator[Member]:
        """Every central-directory record, in order, read in chunks (constant memory)."""
        cursor = _Cursor(self._fh, self._cd_start, self._cd_size)
        for _ in range(self.count):
            fixed = cursor.take(46)
            f = struct.unpack(_CENTRAL_FMT, fixed)
            if f[0] != _CENTRAL:
                raise ZipError("central directory record is damaged")
            flags, method, crc, csize, usize, offset = f[3], f[4], f[7], f[8], f[9], f[16]
            raw_name = cursor.take(f[10])
            extra = cursor.take(f[11])
            cursor.take(f[12])  # comment
            csize, usize, offset = _zip64_extra(extra, csize, usize, offset)
            name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            yield Member(name, method, flags, crc, csize, usize, offset + self._shift)

    def data(self, member: Member) -> Window:
        """A window on the member's stored (possibly compressed) bytes."""
        head = _read_at(self._fh, self._size, member.offset, 30, f"local header of {member.name!r}")
        f = struct.unpack(_LOCAL_FMT, head)
        if f[0] != _LOCAL:
            raise ZipError(f"local header of {member.name!r} is damaged")
        start = member.offset + 30 + f[9] + f[10]
        if start + member.csize > self._size:
            raise ZipError(f"data of {member.name!r} runs past the end of the archive")
        return Window(self._fh, start, member.csize)

    def chunks(self, member: Member, limit: int) -> Iterator[bytes]:
        """The member's content in chunks; ``ZipError`` past ``limit`` bytes or when damaged."""
        if member.flags & 0x1:
            raise ZipError(f"{member.name!r} is encrypted")
        if member.usize > limit:
            raise ZipError(f"{member.name!r} is {member.usize} bytes, over the {limit}-byte limit")
        src = self.data(member)
        if member.method == STORED:
            pieces: Iterator[bytes] = iter(lambda: src.read(_CHUNK), b"")
        elif member.method == DEFLATED:
            pieces = _inflate(src)
        else:
            raise ZipError(f"{member.name!r} uses unsupported compression method {member.method}")
        crc = total = 0
        for piece in pieces:
            total += len(piece)
            if total > member.usize:
                raise ZipError(f"{member.name!r} inflates past its recorded size {member.usize}")
            crc = zlib.crc32(piece, crc)
            yield piece
        if total != member.usize or crc != member.crc:
            raise ZipError(f"{member.name!r} is damaged (size or CRC mismatch)")

    def read(self, member: Member, limit: int) -> bytes:
        """The whole content of a member of at most ``limit`` bytes."""
        return b"".join(self.chunks(member, limit))


def _inflate(src: Window) -> Iterator[bytes]:
    """Raw-deflate chunks from ``src``, never more than one chunk of output at a time."""
    engine = zlib.decompressobj(-15)
    while not engine.eof:
        buf = engine.unconsumed_tail or src.read(_CHUNK)
        try:
            piece = engine.decompress(buf, _CHUNK)
        except zlib.error as exc:
            raise ZipError(f"deflate data is damaged: {exc}") from None
        if not buf and not piece:
            raise ZipError("deflate data is truncated")
        if piece:
            yield piece


def _zip64_extra(extra: bytes, csize: int, usize: int, offset: int) -> tuple[int, int, int]:
    """Apply the zip64 extended-information extra field (header ID 0x0001, APPNOTE 4.5.3)."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if tag != 0x0001:
            continue
        values = [v for (v,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
        if usize == 0xFFFFFFFF and values:
            usize = values.pop(0)
        if csize == 0xFFFFFFFF and values:
            csize = values.pop(0)
        if offset == 0xFFFFFFFF and values:
            offset = values.pop(0)
    return csize, usize, offset


class _Cursor:
    """Sequential reads over a region of a stream, buffered in chunks."""

    def __init__(self, fh: Stream, start: int, length: int) -> None:
        self._fh, self._next, self._end = fh, start, start + length
        self._buf, self._pos = b"", 0

    def take(self, n: int) -> bytes:
        if self._pos + n > len(self._buf):
            want = max(n, _CHUNK)
            self._fh.seek(self._next)
            more = self._fh.read(min(want, self._end - self._next))
            self._next += len(more)
            self._buf, self._pos = self._buf[self._pos :] + more, 0
            if n > len(self._buf):
                raise ZipError("central directory is truncated")
        out = self._buf[self._pos : self._pos + n]
        self._pos += n
        return out
