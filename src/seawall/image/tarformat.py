"""Tar format details, as pure functions of bytes: numbers, checksums, pax records, sparse maps.

Shared by the streaming reader (``image/tarread.py``). Formats: POSIX.1-1988 ustar and
POSIX.1-2001 pax (IEEE Std 1003.1, "pax" utility: header layout, checksum, extended header
records), GNU tar's ``oldgnu`` headers, base-256 numbers, long names and sparse formats (GNU
tar manual, "Tar Internals" and "Storing Sparse Files").
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Protocol

BLOCK = 512
ZERO_BLOCK = bytes(BLOCK)
#: Cap on one tar metadata record (pax header, GNU long name, sparse map): names are at most
#: ``max_path_bytes`` long, so a megabyte is generous.
MAX_META_BYTES = 1024 * 1024
#: Distinct keys kept from global pax headers, and their total size in bytes.
MAX_GLOBAL_PAX_KEYS = 1000
MAX_GLOBAL_PAX_BYTES = 4 * MAX_META_BYTES
#: Metadata records (pax, GNU long names) in front of one member; real archives use 1 to 3.
MAX_CHAIN = 64

# Type flags (ustar; GNU extensions; pax).
AREG, REG, LNK, SYM, CHR, BLK, DIR, FIFO, CONT = 0, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37
GNU_LONGNAME, GNU_LONGLINK, GNU_SPARSE = ord("L"), ord("K"), ord("S")
PAX_LOCAL, PAX_GLOBAL, PAX_SOLARIS = ord("x"), ord("g"), ord("X")
REGULAR = frozenset({AREG, REG, CONT, GNU_SPARSE})
#: Types whose size field is ignored: no data follows (as tarfile and Go's archive/tar read).
HEADER_ONLY = frozenset({LNK, SYM, CHR, BLK, DIR, FIFO})
META = frozenset({GNU_LONGNAME, GNU_LONGLINK, PAX_LOCAL, PAX_GLOBAL, PAX_SOLARIS})
USTAR = b"ustar\x00"
#: Pax keys that change what a member is (records without "path=", "size=" or "GNU.sparse."
#: in them are not parsed at all).
PAX_KEYS = frozenset(
    {
        "path",
        "linkpath",
        "size",
        "GNU.sparse.name",
        "GNU.sparse.size",
        "GNU.sparse.realsize",
        "GNU.sparse.map",
        "GNU.sparse.major",
        "GNU.sparse.minor",
    }
)
_SIGNED = struct.Struct("148b8x356b")
_OCTAL = b"01234567\x00"
#: mode, uid, gid, mtime, devmajor, devminor (the size is read on its own).
_NUMBER_FIELDS = ((100, 108), (108, 116), (116, 124), (136, 148), (329, 337), (337, 345))
STAR_TRAILER = b"tar\x00"
_MAX_DIGITS = 30


class TarFormatError(Exception):
    """Internal: the tar stream is malformed (a bad header, a bad number, a bad record)."""


class MetaTooLarge(TarFormatError):
    """Internal: a pax header, GNU long name or sparse map is over the documented bounds."""


class SparseMapError(TarFormatError):
    """Internal: one sparse member's map is invalid; the member can be skipped."""


class BlockSource(Protocol):
    """The uncompressed tar bytes, read forward only."""

    @property
    def offset(self) -> int:
        """Bytes consumed so far."""
        ...

    def take(self, n: int) -> bytes:
        """The next ``n`` bytes (fewer only at the end of the stream)."""
        ...

    def skip(self, n: int) -> None:
        """Pass over ``n`` bytes (``TruncatedData`` if the stream ends first)."""
        ...

    def copy(self, n: int, write: Callable[[memoryview], object]) -> None:
        """Hand the next ``n`` bytes to ``write`` in pieces (``TruncatedData`` if short)."""
        ...


def padded(n: int) -> int:
    """``n`` rounded up to whole blocks (data is padded to 512 bytes)."""
    return (n + BLOCK - 1) & ~(BLOCK - 1)


def text(raw: bytes) -> str:
    """A NUL-terminated header field as text."""
    end = raw.find(0)
    return (raw if end < 0 else raw[:end]).decode("utf-8", "surrogateescape")


def number(field: bytes) -> int:
    """A numeric header field: octal text, or GNU base-256 (first byte 0x80, or 0xff if < 0)."""
    lead = field[0]
    if lead == 0x80:
        return int.from_bytes(field[1:], "big")
    if lead == 0xFF:
        return int.from_bytes(field, "big", signed=True)
    end = field.find(0)
    digits = (field if end < 0 else field[:end]).strip()
    try:
        return int(digits, 8) if digits else 0
    except ValueError:
        raise TarFormatError("invalid number in a tar header") from None


def check_numbers(block: bytes) -> None:
    """The numeric fields we do not use are numbers too (tarfile and Go's archive/tar refuse
    a header where one is not): one quick test when they hold only octal digits and NULs,
    as nearly every header does; field by field otherwise."""
    if block[100:148].translate(None, _OCTAL) or block[329:345].translate(None, _OCTAL):
        for start, end in _NUMBER_FIELDS:
            number(block[start:end])


def checksum_ok(block: bytes) -> bool:
    """The header checksum (bytes summed with the checksum field as spaces) matches.

    Each half block sums to at most 65280, below Adler-32's modulus, so the low half of its
    Adler-32 is that sum plus one. Old tars summed signed bytes; both are accepted.
    """
    field = block[148:156]
    want = number(field)
    total = (zlib.adler32(block[:256]) & 0xFFFF) + (zlib.adler32(block[256:]) & 0xFFFF) - 2
    if want == total - sum(field) + 256:
        return True
    signed: int = sum(_SIGNED.unpack_from(block))
    return want == signed + 256


def parse_pax(buf: bytes, out: dict[str, str], keep: frozenset[str] | None) -> list[int]:
    """Records ``"%d %s=%s\\n"`` of a pax header into ``out`` (as in tarfile, the last value
    of a key in one header wins).

    Only keys in ``keep`` are stored (all when None). Returns the GNU sparse 0.0 map, the
    ``GNU.sparse.offset``/``numbytes`` values in order. Parsing stops quietly at a malformed
    record, as tarfile does; a zero length is an error (it would never advance).
    """
    sparse: list[int] = []
    pos, end = 0, len(buf)
    while pos < end:
        space = buf.find(b" ", pos, pos + 24)
        digits = buf[pos:space]
        if space <= pos or not digits.isdigit():
            break
        length = int(digits)
        if length == 0:
            raise TarFormatError("invalid pax record (zero length)")
        # The keyword ends at the first "=" inside the record (never searched past it).
        equals = buf.find(b"=", space + 1, pos + length)
        if equals <= space + 1:
            break
        key = buf[space + 1 : equals].decode("utf-8", "surrogateescape")
        value = buf[equals + 1 : pos + length - 1].decode("utf-8", "surrogateescape")
        pos += length
        if key in ("GNU.sparse.offset", "GNU.sparse.numbytes"):
            sparse.append(decimal(value))
        elif keep is None or key in keep:
            out[key] = value
    return sparse


def decimal(value: str | bytes | bytearray) -> int:
    """A decimal number of a pax record or sparse map: at most 30 ASCII digits (no sign,
    space or underscore; sizes fit in 20)."""
    if not (value.isascii() and value.isdigit() and len(value) <= _MAX_DIGITS):
        shown = value[:40] if isinstance(value, str) else bytes(value[:40])
        raise TarFormatError(f"invalid number: {shown!r}")
    return int(value)


def pairs(values: list[int]) -> list[tuple[int, int]]:
    """(offset, length) pairs, leaving out empty ones (GNU tar ends maps with one)."""
    return [(o, n) for o, n in zip(values[::2], values[1::2], strict=False) if n]


def check_map(sparse: list[tuple[int, int]], size: int, stored: int) -> None:
    """Segments in order, inside the file, and no more data than the archive holds."""
    at, total = 0, 0
    for start, length in sparse:
        if start < at or length < 0 or start + length > size:
            raise SparseMapError("invalid sparse map (segments overlap or pass the end)")
        at, total = start + length, total + length
    if total > stored:
        raise SparseMapError("invalid sparse map (more data than the archive holds)")
