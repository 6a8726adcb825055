"""Tar blocks built by hand for the tar reader tests, and a reader over bytes.

``header`` writes one 512-byte header with a correct checksum (signed or unsigned), with any
field set or any raw bytes patched; ``member`` adds padded data, ``pax`` a pax header member.
"""

from __future__ import annotations

import io
from typing import Any

from seawall.image.digests import Digests
from seawall.image.tarread import TarEntry, TarReader
from seawall.image.tarstream import Raw, TarFeed
from seawall.image.walk import WalkLimits


class Dribble(io.BytesIO):
    """A stream giving at most ``step`` bytes per read: chunk boundaries fall everywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        super().__init__(data)
        self._step = step

    def read(self, n: int | None = -1, /) -> bytes:
        return super().read(self._step if n is None or n < 0 else min(n, self._step))

    def readinto(self, buffer: Any, /) -> int:
        view = memoryview(buffer)
        return super().readinto(view[: self._step])


def reader(data: bytes, step: int | None = None) -> TarReader:
    """A reader over ``data`` through the walker's own plain-tar feed (``step``: in pieces)."""
    stream = io.BytesIO(data) if step is None else Dribble(data, step)
    raw = Raw(stream, Digests("sha256", "sha256"))
    return TarReader(TarFeed(None, raw, WalkLimits(), "test"))


def read_all(
    data: bytes, wanted: bool | set[int] = True, step: int | None = None
) -> list[tuple[TarEntry, bytes | None]]:
    """Every member, with the content of those ``wanted`` (all, none, or these indexes)."""
    source = reader(data, step)
    out: list[tuple[TarEntry, bytes | None]] = []
    while (entry := source.next()) is not None:
        content = None
        take = wanted if isinstance(wanted, bool) else len(out) in wanted
        if take and entry.type in (0, 0x30, 0x37, ord("S")):
            buf = io.BytesIO()
            source.copy_data(entry, buf)
            content = buf.getvalue()
        out.append((entry, content))
    return out


def header(
    name: bytes,
    kind: bytes = b"0",
    size: int | bytes = 0,
    *,
    link: bytes = b"",
    magic: bytes = b"ustar\x0000",
    prefix: bytes = b"",
    at: dict[int, bytes] | None = None,
    signed: bool = False,
) -> bytes:
    """One 512-byte header with a correct checksum (``at`` patches raw bytes first)."""
    head = bytearray(512)
    head[0 : len(name)] = name
    head[100:108] = b"0000644\x00"
    head[124:136] = size if isinstance(size, bytes) else b"%011o\x00" % size
    head[156:157] = kind
    head[157 : 157 + len(link)] = link
    head[257:265] = magic
    head[345 : 345 + len(prefix)] = prefix
    for offset, raw in (at or {}).items():
        head[offset : offset + len(raw)] = raw
    head[148:156] = b" " * 8
    total = sum((b - 256 if b > 127 else b) for b in head) if signed else sum(head)
    head[148:156] = b"%06o\x00 " % (total & 0o777777)
    return bytes(head)


def member(name: bytes, data: bytes = b"", kind: bytes = b"0", **kw: object) -> bytes:
    """A header plus its padded data."""
    pad = -len(data) % 512
    return header(name, kind, len(data), **kw) + data + b"\x00" * pad  # type: ignore[arg-type]


def pax(records: dict[str, str] | list[tuple[str, str]], kind: bytes = b"x") -> bytes:
    """A pax header member holding ``records``."""
    items = records.items() if isinstance(records, dict) else records
    body = b""
    for key, value in items:
        rec = f" {key}={value}\n".encode()
        length = len(rec) + len(str(len(rec)))
        length = len(rec) + len(str(length))
        body += str(length).encode() + rec
    return member(b"././@PaxHeader", body, kind)


END = b"\x00" * 1024
