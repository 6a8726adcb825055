"""Go build information embedded in executables: the blob, its two strings, and modinfo.

The Go linker writes a 32-byte header aligned to 16 bytes at the start of ``.go.buildinfo``
(or, in a binary stripped of section headers, near the start of the first writable
segment, where it is searched for as Go does): the 14 magic bytes
``"\\xff Go buildinf:"``, the pointer size, and a flags byte. With flag 0x2 (Go 1.18+) the
Go version and the module info follow the header inline, each prefixed by its length as an
unsigned varint. Without it, two pointers (in the byte order the flags byte gives: 0 little,
1 big) follow at offsets 16 and 16+ptrsize; each points to a Go string header
``{data pointer, length}`` that is read through the loaded segments.

The module info is framed by two 16-byte sentinels and holds tab-separated lines, as printed
by ``go version -m``: ``path``, ``mod`` (the main module), ``dep`` (one per dependency), ``=>``
(a replacement of the preceding module) and ``build`` (``key=value`` build settings).
Every read is bounded; damage raises ``ElfError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import BinaryIO, Literal

from seawall.inventory.analyzers._elf import (
    ElfError,
    ElfImage,
    data_start,
    read_at,
    read_vaddr,
    vaddr_span,
)

MAGIC = b"\xff Go buildinf:"
HEADER_SIZE = 32
ALIGN = 16
#: Go looks for the header in the first 64 KiB of the data start; so do we.
SEARCH_WINDOW = 64 * 1024
#: Caps on the two strings (real module info is a few kilobytes; a huge program's ~100 KiB).
MAX_VERSION = 1024
MAX_MODINFO = 4 * 1024 * 1024
MAX_DEPS = 20_000
_FLAG_INLINE = 0x2


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """The two strings of a Go executable: the toolchain version and the raw module info."""

    go_version: str
    modinfo: str


@dataclass(frozen=True, slots=True)
class Module:
    """A module line (``mod``, ``dep`` or ``=>``): path, version, checksum and replacement."""

    path: str
    version: str
    sum: str = ""
    replace: Module | None = None


@dataclass(frozen=True, slots=True)
class ModInfo:
    """Parsed module info: main package path, main module, dependencies, build settings."""

    path: str = ""
    main: Module | None = None
    deps: tuple[Module, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()


def read_buildinfo(fh: BinaryIO, img: ElfImage) -> BuildInfo | None:
    """The build info of a Go ELF executable; None when it is not one (``ElfError`` if damaged)."""
    sec = img.section(".go.buildinfo")
    if sec is not None and sec.in_file:
        offset, avail = sec.offset, sec.size
    elif img.sections:
        # Every Go linker that writes build info (1.13+) gives it this section; without it,
        # an ELF that kept its section headers is not a Go program: skip the 64 KiB scan.
        return None
    else:
        start = data_start(img)
        if start is None:
            return None
        offset, avail = vaddr_span(img, start)
    window = read_at(fh, img.file_size, offset, min(avail, SEARCH_WINDOW, img.file_size - offset))
    pos = _find_header(window)
    if pos is None:
        return None
    header = window[pos : pos + HEADER_SIZE]
    ptr_size, flags = header[14], header[15]
    if ptr_size not in (4, 8):
        raise ElfError(f"Go build info has pointer size {ptr_size}")
    if flags & _FLAG_INLINE:
        start_off = offset + pos + HEADER_SIZE
        room = min(avail - pos - HEADER_SIZE, img.file_size - start_off)
        tail = read_at(fh, img.file_size, start_off, min(room, MAX_VERSION + MAX_MODINFO + 20))
        version, used = _varint_string(tail, 0, MAX_VERSION)
        modinfo, _ = _varint_string(tail, used, MAX_MODINFO)
    else:
        order: Literal["little", "big"] = "big" if flags != 0 else "little"
        version = _pointed_string(fh, img, header[16 : 16 + ptr_size], ptr_size, order, MAX_VERSION)
        modinfo = _pointed_string(
            fh, img, header[16 + ptr_size : 16 + 2 * ptr_size], ptr_size, order, MAX_MODINFO
        )
    if not version:
        return None
    return BuildInfo(version.decode("utf-8", "replace"), _strip_framing(modinfo))


def _find_header(window: bytes) -> int | None:
    """The first 16-aligned position of a whole header in ``window`` (as Go searches)."""
    pos = window.find(MAGIC)
    while pos >= 0:
        if pos % ALIGN == 0 and len(window) - pos >= HEADER_SIZE:
            return pos
        pos = window.find(MAGIC, pos + 1)
    return None


def _varint_string(data: bytes, pos: int, limit: int) -> tuple[bytes, int]:
    """A uvarint-length-prefixed string at ``pos``; returns it and the position after it."""
    length = shift = 0
    start = -1
    for i in range(10):  # a uint64 takes at most 10 varint bytes
        if pos + i >= len(data):
            raise ElfError("Go build info string length runs past the section")
        byte = data[pos + i]
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            start = pos + i + 1
            break
    else:
        raise ElfError("Go build info string length is not a valid varint")
    if length > limit:
        raise ElfError(f"Go build info string of {length} bytes is over the {limit}-byte limit")
    if start + length > len(data):
        raise ElfError("Go build info string runs past the section")
    return data[start : start + length], start + length


def _pointed_string(
    fh: BinaryIO,
    img: ElfImage,
    raw_ptr: bytes,
    ptr_size: int,
    order: Literal["little", "big"],
    limit: int,
) -> bytes:
    """The Go string whose header ``{data, len}`` lives at the address in ``raw_ptr``."""
    addr = int.from_bytes(raw_ptr, order)
    if addr == 0:
        return b""
    hdr = read_vaddr(fh, img, addr, 2 * ptr_size)
    data_addr = int.from_bytes(hdr[:ptr_size], order)
    length = int.from_bytes(hdr[ptr_size:], order)
    if length > limit:
        raise ElfError(f"Go build info string of {length} bytes is over the {limit}-byte limit")
    if length == 0:
        return b""
    return read_vaddr(fh, img, data_addr, length)


def _strip_framing(modinfo: bytes) -> str:
    """Drop the 16-byte sentinels around the module info (cmd/go's infoStart and infoEnd)."""
    if len(modinfo) >= 33 and modinfo[-17:-16] == b"\n":
        return modinfo[16:-16].decode("utf-8", "replace")
    return ""


def parse_modinfo(text: str) -> ModInfo:
    """Parse module info lines; unknown or malformed lines are ignored, as Go's reader is lenient."""
    path = ""
    main: Module | None = None
    deps: list[Module] = []
    settings: list[tuple[str, str]] = []
    last: str | None = None  # which of main/deps the next "=>" line replaces
    for line in text.split("\n"):
        kind, _, rest = line.partition("\t")
        fields = rest.split("\t")
        if kind == "path":
            path = rest
        elif kind in ("mod", "dep") and fields[0]:
            mod = Module(fields[0], _field(fields, 1), _field(fields, 2))
            if kind == "mod":
                main, last = mod, "mod"
            elif len(deps) < MAX_DEPS:
                deps.append(mod)
                last = "dep"
        elif kind == "=>" and last is not None and fields[0]:
            rep = Module(fields[0], _field(fields, 1), _field(fields, 2))
            if last == "mod" and main is not None:
                main = Module(main.path, main.version, main.sum, rep)
            elif deps:
                deps[-1] = Module(deps[-1].path, deps[-1].version, deps[-1].sum, rep)
            last = None
        elif kind == "build" and len(settings) < MAX_DEPS:
            key, value = _setting(rest)
            if key:
                settings.append((key, value))
    return ModInfo(path, main, tuple(deps), tuple(settings))


def _field(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def _setting(text: str) -> tuple[str, str]:
    """Split ``key=value``; Go quotes a key or value holding spaces, tabs, quotes or ``=``."""
    if text.startswith('"'):
        key, end = _unquote_prefix(text)
        rest = text[end:]
        if not rest.startswith("="):
            return "", ""
        value = rest[1:]
    else:
        key, _, value = text.partition("=")
    if value.startswith('"'):
        value, _ = _unquote_prefix(value)
    return key, value


def _unquote_prefix(text: str) -> tuple[str, int]:
    """Decode the Go-quoted string at the start of ``text``; returns it and its end offset."""
    i = 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            try:
                value = json.loads(text[: i + 1])
            except ValueError:
                return text[1:i], i + 1  # a Go-only escape (\x.., \a): keep the raw text
            return (value if isinstance(value, str) else text[1:i]), i + 1
        i += 1
    return text[1:], len(text)
