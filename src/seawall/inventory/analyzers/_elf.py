"""A small, bounded ELF reader: section and program headers only (32/64-bit, both byte orders).

Implements just enough of the System V gABI ("ELF header", "Sections", "Program header") for
the binary analyzers: find a section by name, read its bytes, and map a virtual address to
file bytes through the ``PT_LOAD`` segments (or, failing that, the sections). Everything is
read on demand from a seekable stream; header tables, names and reads are capped so a
hostile file costs a few kilobytes and a few seeks. Damage raises ``ElfError``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

ELF_MAGIC = b"\x7fELF"

#: Header tables beyond these counts are refused (linked executables have a few dozen).
MAX_SECTIONS = 16_384
MAX_SEGMENTS = 1_024
#: The section-name string table is read whole; real ones are a few hundred bytes.
MAX_SHSTRTAB = 1024 * 1024
#: Header table entries are 32-64 bytes; padding beyond this is refused.
MAX_ENTSIZE = 256

SHT_NOBITS = 8
PT_LOAD = 1
PF_X = 1
PF_W = 2

# gABI: e_ident[EI_CLASS] and e_ident[EI_DATA].
_CLASS32, _CLASS64 = 1, 2
_DATA_LE, _DATA_BE = 1, 2
# Escape values for counts that do not fit the ELF header (stored in section 0 instead).
_SHN_XINDEX = 0xFFFF
_PN_XNUM = 0xFFFF


class ElfError(ValueError):
    """The ELF file is damaged or claims something absurd (the message says what)."""


@dataclass(frozen=True, slots=True)
class Section:
    """One section header."""

    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int

    @property
    def in_file(self) -> bool:
        """Whether the section has bytes in the file (``SHT_NOBITS`` ones do not)."""
        return self.type != SHT_NOBITS


@dataclass(frozen=True, slots=True)
class Segment:
    """One program header."""

    type: int
    flags: int
    vaddr: int
    offset: int
    filesz: int


@dataclass(frozen=True, slots=True)
class ElfImage:
    """The headers of one ELF file and the size of the stream they were read from."""

    is64: bool
    little: bool
    machine: int
    sections: tuple[Section, ...]
    segments: tuple[Segment, ...]
    file_size: int

    def section(self, name: str) -> Section | None:
        """The first section called ``name``, if any."""
        return next((s for s in self.sections if s.name == name), None)


@dataclass(frozen=True, slots=True)
class _Header:
    """The fields of the ELF header this reader needs."""

    is64: bool
    little: bool
    machine: int
    phoff: int
    shoff: int
    phentsize: int
    phnum: int
    shentsize: int
    shnum: int
    shstrndx: int


def is_elf(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a file) starts with the ELF magic."""
    return head[:4] == ELF_MAGIC


def stream_size(fh: BinaryIO) -> int:
    """The size of a seekable stream (the real one, not what a header claims)."""
    end = fh.seek(0, 2)
    fh.seek(0)
    return end


def read_at(fh: BinaryIO, file_size: int, offset: int, length: int) -> bytes:
    """Exactly ``length`` bytes at ``offset``; ``ElfError`` when that runs past the end."""
    if offset < 0 or length < 0 or offset + length > file_size:
        raise ElfError(
            f"{length} bytes at offset {offset} run past the end of the file ({file_size} bytes)"
        )
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise ElfError(f"short read at offset {offset}")
    return data


def _header(ident: bytes, rest: bytes) -> _Header:
    if ident[4] not in (_CLASS32, _CLASS64) or ident[5] not in (_DATA_LE, _DATA_BE):
        raise ElfError(f"unknown ELF class {ident[4]} or data encoding {ident[5]}")
    is64 = ident[4] == _CLASS64
    end = "<" if ident[5] == _DATA_LE else ">"
    # Elf{32,64}_Ehdr after e_ident: type, machine, version, entry, phoff, shoff, flags,
    # ehsize, phentsize, phnum, shentsize, shnum, shstrndx.
    fmt = end + ("HHIQQQIHHHHHH" if is64 else "HHIIIIIHHHHHH")
    if len(rest) < struct.calcsize(fmt):
        raise ElfError("ELF header is truncated")
    f = struct.unpack_from(fmt, rest)
    return _Header(is64, end == "<", f[1], f[4], f[5], f[8], f[9], f[10], f[11], f[12])


def parse_elf(fh: BinaryIO, file_size: int | None = None) -> ElfImage:
    """Read the headers of the ELF file in ``fh`` (``ElfError`` when damaged or absurd)."""
    size = stream_size(fh) if file_size is None else file_size
    raw = read_at(fh, size, 0, 64 if size >= 64 else 52)
    if not is_elf(raw):
        raise ElfError("not an ELF file")
    hdr = _header(raw[:16], raw[16:])
    end = "<" if hdr.little else ">"
    sect_fmt = end + ("IIQQQQIIQQ" if hdr.is64 else "IIIIIIIIII")
    sections = _sections(fh, size, hdr, sect_fmt)
    segments = _segments(fh, size, hdr, end, sect_fmt)
    return ElfImage(hdr.is64, hdr.little, hdr.machine, sections, segments, size)


def _section_zero(fh: BinaryIO, size: int, hdr: _Header, fmt: str) -> tuple[int, ...]:
    """Section header 0, which holds the real counts when they overflow the ELF header."""
    if hdr.shoff == 0:
        return (0,) * 10
    return struct.unpack(fmt, read_at(fh, size, hdr.shoff, struct.calcsize(fmt)))


def _sections(fh: BinaryIO, size: int, hdr: _Header, fmt: str) -> tuple[Section, ...]:
    if hdr.shoff == 0:
        return ()  # stripped of section headers (sstrip, some packers): segments still work
    entsize = struct.calcsize(fmt)
    if not entsize <= hdr.shentsize <= MAX_ENTSIZE:
        raise ElfError(
            f"section header entry size {hdr.shentsize} is not in {entsize}..{MAX_ENTSIZE}"
        )
    zero = _section_zero(fh, size, hdr, fmt)
    count = hdr.shnum or zero[5]  # sh_size of section 0 when e_shnum overflowed
    strndx = zero[7] if hdr.shstrndx == _SHN_XINDEX else hdr.shstrndx  # sh_link of section 0
    if count > MAX_SECTIONS:
        raise ElfError(f"{count} section headers is over the limit of {MAX_SECTIONS}")
    table = read_at(fh, size, hdr.shoff, count * hdr.shentsize)
    raw = [struct.unpack_from(fmt, table, i * hdr.shentsize) for i in range(count)]
    names = b""
    if 0 < strndx < count:
        _, stype, _, _, soff, ssize, *_ = raw[strndx]
        if stype != SHT_NOBITS:
            if ssize > MAX_SHSTRTAB:
                raise ElfError(f"section name table of {ssize} bytes is over the limit")
            names = read_at(fh, size, soff, ssize)
    out = []
    for name_off, stype, flags, addr, off, ssize, *_ in raw:
        out.append(Section(_name(names, name_off), stype, flags, addr, off, ssize))
    return tuple(out)


def _name(table: bytes, offset: int) -> str:
    if offset >= len(table):
        return ""
    end = table.find(b"\0", offset)
    return table[offset : end if end >= 0 else len(table)].decode("latin-1")


def _segments(
    fh: BinaryIO, size: int, hdr: _Header, end: str, sect_fmt: str
) -> tuple[Segment, ...]:
    if hdr.phoff == 0 or hdr.phnum == 0:
        return ()
    count = _section_zero(fh, size, hdr, sect_fmt)[8] if hdr.phnum == _PN_XNUM else hdr.phnum
    if count > MAX_SEGMENTS:
        raise ElfError(f"{count} program headers is over the limit of {MAX_SEGMENTS}")
    # Elf64_Phdr: type, flags, offset, vaddr, paddr, filesz, memsz, align;
    # Elf32_Phdr: type, offset, vaddr, paddr, filesz, memsz, flags, align.
    fmt = end + ("IIQQQQQQ" if hdr.is64 else "IIIIIIII")
    entsize = struct.calcsize(fmt)
    if not entsize <= hdr.phentsize <= MAX_ENTSIZE:
        raise ElfError(
            f"program header entry size {hdr.phentsize} is not in {entsize}..{MAX_ENTSIZE}"
        )
    table = read_at(fh, size, hdr.phoff, count * hdr.phentsize)
    out = []
    for i in range(count):
        f = struct.unpack_from(fmt, table, i * hdr.phentsize)
        if hdr.is64:
            out.append(Segment(f[0], f[1], f[3], f[2], f[5]))
        else:
            out.append(Segment(f[0], f[6], f[2], f[1], f[4]))
    return tuple(out)


def read_section(fh: BinaryIO, img: ElfImage, sec: Section, limit: int) -> bytes:
    """The bytes of ``sec`` (``ElfError`` when over ``limit``, absent from the file or outside it)."""
    if not sec.in_file:
        raise ElfError(f"section {sec.name} has no bytes in the file")
    if sec.size > limit:
        raise ElfError(f"section {sec.name} of {sec.size} bytes is over the {limit}-byte limit")
    return read_at(fh, img.file_size, sec.offset, sec.size)


def vaddr_span(img: ElfImage, addr: int) -> tuple[int, int]:
    """The file offset of virtual address ``addr`` and how many file bytes follow it there.

    Looks through the ``PT_LOAD`` segments, then the sections; ``ElfError`` when unmapped.
    """
    spans = [(s.vaddr, s.offset, s.filesz) for s in img.segments if s.type == PT_LOAD]
    spans += [(s.addr, s.offset, s.size) for s in img.sections if s.in_file and s.addr]
    for start, offset, span in spans:
        if start <= addr < start + span:
            return offset + (addr - start), start + span - addr
    raise ElfError(f"virtual address {addr:#x} is not mapped by any segment")


def read_vaddr(fh: BinaryIO, img: ElfImage, addr: int, length: int) -> bytes:
    """Exactly ``length`` bytes at virtual address ``addr`` (``ElfError`` when not mapped)."""
    offset, avail = vaddr_span(img, addr)
    if length > avail:
        raise ElfError(f"{length} bytes at virtual address {addr:#x} run past their segment")
    return read_at(fh, img.file_size, offset, length)


def data_start(img: ElfImage) -> int | None:
    """The first writable, non-executable loaded segment's address (Go's fallback data start)."""
    for seg in img.segments:
        if seg.type == PT_LOAD and seg.flags & (PF_X | PF_W) == PF_W:
            return seg.vaddr
    return None
