"""Byte plumbing under the layer walker: sniffed decompression, hashing, limits, tar guards.

``Raw`` hashes the blob as read; ``Gunzip`` (and zstandard's stream reader) decompress with
bounded output; ``TarFeed`` hashes and counts the uncompressed tar, enforces the size and
ratio limits and keeps the last bytes read so the end of the archive can be checked;
``GuardedTarInfo`` caps tarfile's metadata records (pax headers, GNU long names, sparse maps),
which tarfile would otherwise read whole whatever size they claim.
"""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from typing import Any, BinaryIO, cast

from seawall.image.spool import CHUNK, Readable, TruncatedData, limit_error
from seawall.image.walk import ImageError, WalkLimits

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Cap on one tar metadata record (pax header, GNU long name, sparse map): names are at most
#: ``max_path_bytes`` long, so a megabyte is generous; without it tarfile would read any size.
MAX_META_BYTES = 1024 * 1024
#: Distinct keys kept from global pax headers.
MAX_GLOBAL_PAX_KEYS = 1000
#: Compressed bytes handed to zlib per call (see ``Gunzip``).
_FEED = 64 * 1024
#: Uncompressed bytes pulled per decompression call (see ``TarFeed``).
_FETCH = 256 * 1024
_META_TYPES = frozenset(
    {
        tarfile.XHDTYPE,
        tarfile.XGLTYPE,
        tarfile.SOLARIS_XHDTYPE,
        tarfile.GNUTYPE_LONGNAME,
        tarfile.GNUTYPE_LONGLINK,
        tarfile.GNUTYPE_SPARSE,
    }
)
HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}


def algorithm_of(claim: str | None, label: str) -> str:
    if claim is None:
        return "sha256"
    alg = claim.partition(":")[0]
    if alg not in HASHES:
        raise ImageError(f"layer {label}: unsupported digest algorithm in {claim!r}")
    return alg


class Raw:
    """The blob as read: hashes and counts every byte once; can give back a sniffed prefix."""

    def __init__(self, stream: BinaryIO, algorithm: str) -> None:
        self._stream = stream
        self.hash = HASHES[algorithm]()
        self.count = 0
        self._back = b""

    def read(self, n: int = -1, /) -> bytes:
        if self._back:
            if 0 <= n < len(self._back):
                data, self._back = self._back[:n], self._back[n:]
            else:
                data, self._back = self._back, b""
            return data
        data = self._stream.read(n if n >= 0 else CHUNK)
        if data:
            self.hash.update(data)
            self.count += len(data)
        return data

    def sniff(self, n: int) -> bytes:
        """The first ``n`` bytes (or fewer at the end), given back to the next ``read``."""
        head = b""
        while len(head) < n:
            chunk = self.read(n - len(head))
            if not chunk:
                break
            head += chunk
        self._back = head + self._back
        return head

    def drain(self) -> None:
        """Read (and hash) whatever is left of the blob."""
        while self.read(CHUNK):
            pass


class Gunzip:
    """Bounded gzip decompression (``read(n)`` never returns more than ``n`` bytes).

    Input is fed to zlib in small zero-copy slices: with ``max_length``, zlib copies the
    input it did not consume into ``unconsumed_tail``, so feeding a large buffer would copy
    it again on every call (quadratic on highly compressed data, such as a bomb's zeros).
    """

    def __init__(self, raw: Raw) -> None:
        self._raw = raw
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._buf = b""
        self._pos = 0

    def _fill(self) -> bool:
        """Make sure some compressed input is pending; False at the end of the blob."""
        if self._pos < len(self._buf):
            return True
        self._buf, self._pos = self._raw.read(CHUNK), 0
        return bool(self._buf)

    def read(self, n: int = -1, /) -> bytes:
        n = n if n > 0 else CHUNK
        while True:
            if self._d.eof and not self._next_member():
                return b""
            if not self._fill():
                raise TruncatedData("gzip stream ends before its end marker")
            piece = memoryview(self._buf)[self._pos : self._pos + _FEED]
            out = self._d.decompress(piece, n)
            left = self._d.unused_data if self._d.eof else self._d.unconsumed_tail
            self._pos += len(piece) - len(left)
            if out:
                return out

    def _next_member(self) -> bool:
        """After one gzip member: another member follows (True), or only zero padding."""
        rest = self._buf[self._pos :]
        while len(rest) < len(GZIP_MAGIC):
            more = self._raw.read(CHUNK)
            if not more:
                break
            rest += more
        self._buf, self._pos = rest, 0
        if rest.startswith(GZIP_MAGIC):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return True
        while rest:
            if rest.count(0) != len(rest):
                raise zlib.error("data after the end of the gzip stream")
            rest = self._raw.read(CHUNK)
        self._buf = b""
        return False


class TarFeed:
    """The uncompressed tar stream as tarfile reads it: hashed, counted, limited.

    Data is pulled from the decompressor in large chunks (tarfile asks for 10 KiB at a time,
    and small decompression calls are slow) and handed out in the sizes asked for. The last
    two chunks are kept so the block where tarfile stopped can be checked (``block_at``).
    """

    def __init__(
        self, source: Readable, raw: Raw, algorithm: str | None, limits: WalkLimits, label: str
    ) -> None:
        self._source = source
        self._raw = raw
        # None: a plain tar hashed with the blob's algorithm is the blob; hash it once.
        self.hash = HASHES[algorithm]() if algorithm else None
        self.count = 0
        self._limits = limits
        self._label = label
        self._prev = b""
        self._cur = b""
        self._cur_start = 0
        self._pos = 0

    def read(self, n: int = -1, /) -> bytes:
        n = n if n > 0 else CHUNK
        if self._pos >= len(self._cur) and not self._fetch(n):
            return b""
        data = self._cur[self._pos : self._pos + n]
        self._pos += len(data)
        return data

    def _fetch(self, n: int) -> bool:
        data = self._source.read(max(n, _FETCH))
        if not data:
            return False
        if self.hash is not None:
            self.hash.update(data)
        self.count += len(data)
        self._check_limits()
        self._prev, self._cur_start = self._cur, self._cur_start + len(self._cur)
        self._cur, self._pos = data, 0
        return True

    def _check_limits(self) -> None:
        lim = self._limits
        if self.count > lim.max_layer_bytes:
            raise limit_error(
                f"layer {self._label}: uncompressed size",
                self.count,
                lim.max_layer_bytes,
                "max_layer_bytes",
            )
        compressed = max(self._raw.count, 1)
        if self.count > lim.bomb_floor_bytes and self.count > lim.max_ratio * compressed:
            raise limit_error(
                f"layer {self._label}: compression ratio (decompression bomb?)",
                self.count // compressed,
                lim.max_ratio,
                "max_ratio",
            )

    def block_at(self, offset: int) -> bytes | None:
        """The 512-byte block at ``offset`` when it is still held, else ``None``."""
        held = self._prev + self._cur
        start = offset - (self._cur_start - len(self._prev))
        if start < 0 or start + tarfile.BLOCKSIZE > len(held):
            return None
        return held[start : start + tarfile.BLOCKSIZE]

    def drain(self) -> None:
        """Read (hash, count, limit) the rest of the stream after the end-of-archive marker."""
        self._pos = len(self._cur)
        while self._fetch(CHUNK):
            self._pos = len(self._cur)


class _Budget:
    """Stands in for tarfile's stream while one metadata record is parsed: caps its reads."""

    def __init__(self, inner: Any, budget: int) -> None:
        self._inner = inner
        self._left = budget

    def read(self, n: int) -> bytes:
        self._left -= n
        if self._left < 0:
            raise MetaTooLarge(f"a tar metadata record is over {MAX_META_BYTES} bytes")
        data: bytes = self._inner.read(n)
        return data

    def tell(self) -> int:
        pos: int = self._inner.tell()
        return pos

    def seek(self, pos: int, whence: int = 0) -> int:
        where: int = self._inner.seek(pos, whence)
        return where


class MetaTooLarge(Exception):
    """Internal: a pax header, GNU long name or sparse map is over ``MAX_META_BYTES``."""


class GuardedTarInfo(tarfile.TarInfo):
    """TarInfo whose metadata records (pax, GNU long names, sparse maps) have bounded size.

    tarfile reads a pax header or long name whole into memory, whatever size its header
    claims; here a record over ``MAX_META_BYTES`` is refused before any of it is read.
    """

    __slots__ = ()

    def _proc_member(self, tarfile_: Any) -> Any:
        if self.type not in _META_TYPES:
            return super()._proc_member(tarfile_)  # type: ignore[misc]
        if self.type != tarfile.GNUTYPE_SPARSE and self.size > MAX_META_BYTES:
            raise MetaTooLarge(f"a tar metadata record claims {self.size} bytes")
        if self.type == tarfile.XGLTYPE and len(tarfile_.pax_headers) > MAX_GLOBAL_PAX_KEYS:
            raise MetaTooLarge("too many global pax header keys")
        inner = tarfile_.fileobj
        tarfile_.fileobj = _Budget(inner, 2 * MAX_META_BYTES)
        try:
            return super()._proc_member(tarfile_)  # type: ignore[misc]
        finally:
            tarfile_.fileobj = inner


def forget_members(tar: tarfile.TarFile) -> None:
    """Empty the member list tarfile keeps (we never look back; millions would add up)."""
    members: list[tarfile.TarInfo] = cast(Any, tar).members
    members.clear()
