"""A bounded, read-only reader of Berkeley DB hash files (the ``Packages`` rpmdb of old systems).

Written from the on-disk format (Berkeley DB "db_page.h"/"hash.h" layouts), in either byte
order (the metadata magic says which):

- Page 0 is the hash metadata page: the generic header (``magic`` at 12, ``version`` at 16,
  ``pagesize`` at 20, ``encrypt_alg`` at 24, ``type`` at 25 = 8, ``metaflags`` at 26 with bit 0
  = page checksums, ``last_pgno`` at 32) then ``max_bucket`` at 72 and the 32 ``spares`` at 96.
- Bucket ``b`` starts on page ``b + spares[ceil(log2(b + 1))]``; its page chain continues
  through ``next_pgno``. Every page starts with a 26-byte header (``pgno`` at 8, ``next_pgno``
  at 16, ``entries`` u16 at 20, ``hf_offset`` u16 at 22, ``type`` u8 at 25), 32 bytes with
  checksums, followed by ``entries`` u16 item offsets; items alternate key, data.
- An item is ``H_KEYDATA`` (1: type byte + bytes up to the previous item) or ``H_OFFPAGE``
  (3: type, 3 pad bytes, ``pgno`` u32, total length ``tlen`` u32), whose bytes lie in a chain
  of overflow pages (type 7) each holding ``hf_offset`` bytes after the header.

Bounds: every page is read at most once (a page reached twice is a loop and an error), page
numbers must lie inside the file, item offsets inside their page, and a value's length is
capped, so time and memory stay proportional to the file.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO, Literal

HASH_MAGIC = 0x061561
_BTREE_MAGIC = 0x053162
_P_HASH_UNSORTED, _P_OVERFLOW, _P_HASHMETA, _P_HASH = 2, 7, 8, 13
_H_KEYDATA, _H_DUPLICATE, _H_OFFPAGE, _H_OFFDUP = 1, 2, 3, 4
_HEADER, _HEADER_CHKSUM = 26, 32


class BdbError(ValueError):
    """The file is not a readable Berkeley DB hash database, or is damaged."""


def _ceil_log2(n: int) -> int:
    return max(0, (n - 1).bit_length())


class _Pages:
    """Page access with the once-only rule and header decoding."""

    def __init__(self, fh: BinaryIO, size: int, order: str, pagesize: int, overhead: int) -> None:
        self.fh, self.order, self.pagesize, self.overhead = fh, order, pagesize, overhead
        self.count = size // pagesize
        self.seen: set[int] = set()

    def read(self, pgno: int) -> bytes:
        if not 0 < pgno < self.count:
            raise BdbError(f"page number {pgno} outside the file's {self.count} pages")
        if pgno in self.seen:
            raise BdbError(f"page {pgno} reached twice (a page loop)")
        self.seen.add(pgno)
        self.fh.seek(pgno * self.pagesize)
        page = self.fh.read(self.pagesize)
        if len(page) != self.pagesize:
            raise BdbError(f"page {pgno} is truncated")
        return page

    def header(self, page: bytes) -> tuple[int, int, int, int, int]:
        """``(pgno, next_pgno, entries, hf_offset, type)``."""
        pgno, _, nxt, entries, hf_offset = struct.unpack_from(self.order + "IIIHH", page, 8)
        return pgno, nxt, entries, hf_offset, page[25]


def _meta(head: bytes) -> tuple[str, int, int, int, list[int]]:
    """``(byte order, pagesize, overhead, max_bucket, spares)`` from the metadata page."""
    if len(head) < 224:
        raise BdbError("too short for a Berkeley DB file")
    for order in ("<", ">"):
        magic = struct.unpack_from(order + "I", head, 12)[0]
        if magic == HASH_MAGIC:
            break
        if magic == _BTREE_MAGIC:
            raise BdbError("a Berkeley DB btree, not a hash database")
    else:
        raise BdbError("not a Berkeley DB hash database (bad magic)")
    version, pagesize = struct.unpack_from(order + "II", head, 16)
    if not 6 <= version <= 10:
        raise BdbError(f"unsupported hash version {version}")
    if pagesize < 512 or pagesize > 65536 or pagesize & (pagesize - 1):
        raise BdbError(f"invalid page size {pagesize}")
    if head[24] != 0:
        raise BdbError("encrypted database")
    if head[25] != _P_HASHMETA:
        raise BdbError(f"page 0 has type {head[25]}, not hash metadata")
    overhead = _HEADER_CHKSUM if head[26] & 1 else _HEADER
    max_bucket = struct.unpack_from(order + "I", head, 72)[0]
    spares = list(struct.unpack_from(order + "32I", head, 96))
    return order, pagesize, overhead, max_bucket, spares


def _items(pages: _Pages, pgno: int, page: bytes) -> Iterator[tuple[int, int, int]]:
    """``(item type, start, end)`` of each item of a hash page, offsets checked."""
    size = pages.pagesize
    _, _, entries, _, _ = pages.header(page)
    first = pages.overhead + 2 * entries
    if entries % 2 or first > size:
        raise BdbError(f"page {pgno}: invalid entry count {entries}")
    offsets = struct.unpack_from(f"{pages.order}{entries}H", page, pages.overhead)
    end = size
    for off in offsets:
        if not first <= off < end:
            raise BdbError(f"page {pgno}: item offset {off} out of bounds")
        yield page[off], off, end
        end = off


def _overflow(pages: _Pages, pgno: int, tlen: int, max_value: int) -> bytes:
    """The ``tlen`` bytes stored in the overflow chain starting at ``pgno``."""
    if tlen > max_value or tlen > pages.count * pages.pagesize:
        raise BdbError(f"overflow item of {tlen} bytes is over the limit")
    out = bytearray()
    while pgno:
        page = pages.read(pgno)
        own, nxt, _, length, ptype = pages.header(page)
        if ptype != _P_OVERFLOW or own != pgno:
            raise BdbError(f"page {pgno} is not an overflow page (type {ptype}, number {own})")
        if length > pages.pagesize - pages.overhead or len(out) + length > tlen:
            raise BdbError(f"overflow page {pgno}: invalid length {length}")
        out += page[pages.overhead : pages.overhead + length]
        pgno = nxt
    if len(out) != tlen:
        raise BdbError(f"overflow chain holds {len(out)} of {tlen} bytes")
    return bytes(out)


def _value(
    pages: _Pages, pgno: int, page: bytes, item: tuple[int, int, int], max_value: int
) -> bytes:
    kind, start, end = item
    if kind == _H_KEYDATA:
        return page[start + 1 : end]
    if kind == _H_OFFPAGE:
        if end - start < 12:
            raise BdbError(f"page {pgno}: short off-page item")
        opg, tlen = struct.unpack_from(pages.order + "II", page, start + 4)
        return _overflow(pages, opg, tlen, max_value)
    if kind in (_H_DUPLICATE, _H_OFFDUP):
        raise BdbError(f"page {pgno}: duplicate data items are not supported")
    raise BdbError(f"page {pgno}: unknown item type {kind}")


class HashFile:
    """One Berkeley DB hash file: its metadata is checked on construction, pairs read by ``items``.

    ``byteorder`` (``"little"``/``"big"``) is the order of the file's integers, which is also
    the order applications like rpm used for their integer keys.
    """

    def __init__(self, fh: BinaryIO, size: int, *, max_value: int) -> None:
        fh.seek(0)
        order, pagesize, overhead, self._max_bucket, self._spares = _meta(fh.read(512))
        self.byteorder: Literal["little", "big"] = "little" if order == "<" else "big"
        self._pages = _Pages(fh, size, order, pagesize, overhead)
        self._max_value = max_value
        if self._max_bucket >= min(self._pages.count, 1 << 31):
            raise BdbError(
                f"{self._max_bucket + 1} buckets cannot fit in {self._pages.count} pages"
            )

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every ``(key, value)`` pair, bucket by bucket; ``BdbError`` when damaged."""
        pages, max_value = self._pages, self._max_value
        for bucket in range(self._max_bucket + 1):
            pgno = bucket + self._spares[_ceil_log2(bucket + 1)]
            while pgno:
                page = pages.read(pgno)
                own, nxt, entries, _, ptype = pages.header(page)
                if ptype == 0 and entries == 0:
                    break  # a bucket page never written: empty
                if ptype not in (_P_HASH, _P_HASH_UNSORTED) or own != pgno:
                    raise BdbError(f"page {pgno} is not a hash page (type {ptype}, number {own})")
                items = list(_items(pages, pgno, page))
                for i in range(0, len(items), 2):
                    key = _value(pages, pgno, page, items[i], max_value)
                    yield key, _value(pages, pgno, page, items[i + 1], max_value)
                pgno = nxt
