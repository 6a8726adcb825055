"""Byte plumbing under the layer walker: sniffed decompression, hashing, limits.

``Raw`` reads the blob and hands every byte to ``Digests`` once; ``Gunzip`` (and zstandard's
stream reader) decompress with bounded output; ``TarFeed`` serves the uncompressed tar to
``TarReader`` from large chunks, each hashed, counted and checked against the size and ratio
limits once, as it arrives: skipping an entry's data only moves a position, and every byte is
still hashed. A plain tar is read straight into the buffers ``Digests`` provides (no copy).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import BinaryIO

from seawall.image.digests import BLOB, HASHES, TAR, Digests
from seawall.image.spool import CHUNK, Readable, TruncatedData, limit_error
from seawall.image.walk import ImageError, WalkLimits

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Compressed bytes handed to zlib per call (see ``Gunzip``).
_FEED = 64 * 1024


def algorithm_of(claim: str | None, label: str) -> str:
    """The digest algorithm of a claimed digest (sha256 when nothing is claimed)."""
    if claim is None:
        return "sha256"
    alg = claim.partition(":")[0]
    if alg not in HASHES:
        raise ImageError(f"layer {label}: unsupported digest algorithm in {claim!r}")
    return alg


class Raw:
    """The blob as read: every byte hashed and counted once, as it is handed on.

    ``sniff`` looks at the first bytes without consuming them. A plain tar is then read with
    ``fill`` (chunks in the buffers of ``Digests``), a compressed blob with ``read`` (by its
    decompressor); one or the other, never both.
    """

    def __init__(self, stream: BinaryIO, digests: Digests) -> None:
        self._stream = stream
        self.digests = digests
        self.count = 0
        self._back = b""  # sniffed bytes, not yet handed on (nor hashed)

    def read(self, n: int = -1, /) -> bytes:
        if self._back:
            if 0 <= n < len(self._back):
                data, self._back = self._back[:n], self._back[n:]
            else:
                data, self._back = self._back, b""
        else:
            data = self._stream.read(n if n >= 0 else CHUNK)
        if data:
            self.digests.update(BLOB, data)
            self.count += len(data)
        return data

    def fill(self) -> memoryview:
        """The next chunk of the blob (hashed; empty at the end), valid until the next call."""
        view = self.digests.chunk(self._read_into)
        self.count += len(view)
        return view

    def _read_into(self, view: memoryview) -> int:
        """Fill ``view`` from the sniffed bytes and the stream (short only at the end)."""
        done = 0
        if self._back:
            done = min(len(view), len(self._back))
            view[:done] = self._back[:done]
            self._back = self._back[done:]
        readinto = getattr(self._stream, "readinto", None)
        while done < len(view):  # short reads are not the end; b"" is
            if readinto is not None:
                got = readinto(view[done:]) or 0
            else:
                data = self._stream.read(len(view) - done)
                got = len(data)
                view[done : done + got] = data
            if not got:
                break
            done += got
        return done

    def sniff(self, n: int) -> bytes:
        """The first ``n`` bytes (or fewer at the end), given back to the next read."""
        while len(self._back) < n:
            chunk = self._stream.read(n - len(self._back))
            if not chunk:
                break
            self._back += chunk
        return self._back[:n]

    def drain(self) -> None:
        """Read (and hash) whatever is left of a blob read with ``read``."""
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
    """The uncompressed tar as ``TarReader`` reads it (a ``tarread.BlockSource``).

    Data arrives in chunks: a plain tar (``source`` None) is read by ``Raw.fill`` into the
    buffers of ``Digests`` (which hash it), a compressed one comes from its decompressor in
    pieces of up to ``CHUNK``, hashed here as the tar. Each chunk is counted and checked
    against the size and ratio limits once, on arrival; headers are sliced out of it, skipped
    data only moves the position, and wanted data is handed on as views of it.
    """

    def __init__(
        self,
        source: Readable | None,
        raw: Raw,
        limits: WalkLimits,
        label: str,
    ) -> None:
        self._source = source
        self._raw = raw
        self._digests = raw.digests
        self.count = 0
        self._limits = limits
        self._label = label
        self._view = memoryview(b"")
        self._pos = 0
        self._end = 0
        self._base = 0  # stream offset of the current chunk

    @property
    def offset(self) -> int:
        """Bytes of the tar consumed so far."""
        return self._base + self._pos

    def _fill(self) -> bool:
        """Move on to the next chunk; False at the end of the stream."""
        self._base += self._end
        if self._source is None:
            view = self._raw.fill()  # hashed as the tar too, unless the tar is the blob
            got = len(view)
        else:
            data = self._source.read(CHUNK)
            got, view = len(data), memoryview(data)
            if got:
                self._digests.update(TAR, data)
        self._pos, self._end = 0, got
        if not got:
            return False
        self._view = view
        self.count += got
        self._check_limits()
        return True

    def take(self, n: int) -> bytes:
        """The next ``n`` bytes (fewer only at the end of the stream)."""
        pos = self._pos
        if self._end - pos >= n:
            self._pos = pos + n
            return self._view[pos : pos + n].tobytes()
        parts = [self._view[pos : self._end].tobytes()]
        got = self._end - pos
        self._pos = self._end
        while got < n and self._fill():
            step = min(n - got, self._end)
            parts.append(self._view[:step].tobytes())
            self._pos, got = step, got + step
        return b"".join(parts)

    def skip(self, n: int) -> None:
        """Pass over ``n`` bytes (they were hashed when their chunk arrived)."""
        pos = self._pos + n
        while pos > self._end:
            pos -= self._end
            if not self._fill():
                raise TruncatedData(f"tar stream ends at byte {self.offset} inside an entry")
        self._pos = pos

    def copy(self, n: int, write: Callable[[memoryview], object]) -> None:
        """Hand the next ``n`` bytes to ``write`` as views of the chunks they are in."""
        while n > 0:
            pos, end = self._pos, self._end
            if pos >= end:
                if not self._fill():
                    raise TruncatedData(f"content ends {n} bytes early")
                continue
            step = min(n, end - pos)
            write(self._view[pos : pos + step])
            self._pos, n = pos + step, n - step

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

    def drain(self) -> None:
        """Read (hash, count, limit) the rest of the stream after the end-of-archive block."""
        self._pos = self._end
        while self._fill():
            self._pos = self._end
