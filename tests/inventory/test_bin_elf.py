"""The bounded ELF reader (``_elf.py``) and the executable path selector (``_binpaths.py``).

Differential: section names, offsets and sizes agree with ``readelf`` on real binaries.
Hostile: absurd counts, entry sizes and offsets are refused with ``ElfError``; random and
mutated bytes never raise anything else (hypothesis).
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, FileInput
from seawall.inventory.analyzers import _binpaths
from seawall.inventory.analyzers._elf import ElfError, parse_elf, read_section, read_vaddr
from seawall.inventory.analyzers._gobuildinfo import read_buildinfo
from tests.inventory._bin_support import (
    Sec,
    build_elf,
    bytes_input,
    go_inline_elf,
    go_pointer_elf,
)


def readelf_sections(path: Path) -> list[tuple[str, int, int]]:
    """(name, offset, size) of every section, as readelf prints them (wide format)."""
    out = subprocess.run(
        ["readelf", "-SW", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S*)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m and m.group(1) != "0":
            rows.append((m.group(2), int(m.group(3), 16), int(m.group(4), 16)))
    return rows


@pytest.mark.parametrize("binary", [sys.executable, "/bin/ls"])
def test_sections_match_readelf(binary: str) -> None:
    path = Path(binary).resolve()
    with path.open("rb") as fh:
        img = parse_elf(fh)
    mine = [(s.name, s.offset, s.size) for s in img.sections[1:]]
    assert mine == readelf_sections(path)
    assert img.is64 and img.little and img.segments


def test_synthetic_round_trip_all_layouts() -> None:
    for is64 in (True, False):
        for little in (True, False):
            data = build_elf(
                [Sec(".a", b"hello", 0x1000), Sec(".b", b"world")], is64=is64, little=little
            )
            fh = io.BytesIO(data)
            img = parse_elf(fh)
            assert [s.name for s in img.sections] == ["", ".a", ".b", ".shstrtab"]
            b = img.section(".b")
            assert b is not None and read_section(fh, img, b, 100) == b"world"
            assert read_vaddr(fh, img, 0x1001, 3) == b"ell"
            with pytest.raises(ElfError):
                read_vaddr(fh, img, 0x1003, 10)  # runs past the segment
            with pytest.raises(ElfError):
                read_section(fh, img, b, 2)  # over the caller's limit


def _patched(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


BASE = build_elf([Sec(".text", b"\xc3" * 16, 0x401000)])
# ELF64 header offsets: e_phoff 32, e_shoff 40, e_phentsize 54, e_phnum 56,
# e_shentsize 58, e_shnum 60, e_shstrndx 62.
HOSTILE = {
    "too many sections": (60, "<H", 0xFFFE),
    "section table past the end": (40, "<Q", 1 << 40),
    "huge section entry size": (58, "<H", 0xFFFF),
    "tiny section entry size": (58, "<H", 8),
    "too many segments": (56, "<H", 5000),
    "segment table past the end": (32, "<Q", 1 << 50),
    "huge program entry size": (54, "<H", 4096),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_absurd_headers_are_refused(case: str) -> None:
    offset, fmt, value = HOSTILE[case]
    with pytest.raises(ElfError):
        parse_elf(io.BytesIO(_patched(BASE, offset, fmt, value)))


def test_damaged_name_table_and_index_do_not_crash() -> None:
    out_of_range = _patched(BASE, 62, "<H", 500)  # shstrndx beyond the table: names are empty
    img = parse_elf(io.BytesIO(out_of_range))
    assert all(s.name == "" for s in img.sections)
    short64 = b"\x7fELF\x02\x01\x01" + bytes(50)  # 57 bytes: a 64-bit header needs 64
    for bad in (b"\x7fELF", b"\x7fELF\x03\x01" + bytes(60), BASE[:70], short64):
        with pytest.raises(ElfError):
            parse_elf(io.BytesIO(bad))


def test_extended_section_count_in_section_zero() -> None:
    data = bytearray(BASE)
    shoff = int.from_bytes(data[40:48], "little")
    count = int.from_bytes(data[60:62], "little")
    struct.pack_into("<H", data, 60, 0)  # e_shnum 0: the real count is sh_size of section 0
    struct.pack_into("<Q", data, shoff + 32, count)
    assert len(parse_elf(io.BytesIO(bytes(data))).sections) == count
    struct.pack_into("<Q", data, shoff + 32, 10**9)
    with pytest.raises(ElfError, match="over the limit"):
        parse_elf(io.BytesIO(bytes(data)))


SAMPLES = [
    BASE,
    go_inline_elf("go1.21.0", "path\tx\nmod\tx\tv1.0.0\t\n"),
    go_pointer_elf("go1.16", "mod\tx\tv1\t\n", is64=False, little=False),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(SAMPLES),
    edits=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=12),
)
def test_mutated_elves_only_raise_elf_error(sample: bytes, edits: list[tuple[int, int]]) -> None:
    data = bytearray(sample)
    for pos, byte in edits:
        if pos < len(data):
            data[pos] = byte
    fh = io.BytesIO(bytes(data))
    with contextlib.suppress(ElfError):
        read_buildinfo(fh, parse_elf(fh))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_only_raise_elf_error(data: bytes) -> None:
    with contextlib.suppress(ElfError):
        parse_elf(io.BytesIO(b"\x7fELF" + data))


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("/usr/bin/kubectl", True),
        ("/usr/local/bin/python3.11", True),
        ("/bin/busybox", True),
        ("/go/bin/app", True),
        ("/root/go/bin/dlv", True),
        ("/usr/sbin/nginx", True),
        ("/traefik", True),
        ("/coredns", True),
        ("/app/server", True),
        ("/opt/tool/helper", True),
        ("/ko-app/controller", True),
        ("/usr/libexec/docker/cli-plugins/docker-buildx", True),
        ("/usr/lib/docker/cli-plugins/docker-compose", True),
        ("/usr/lib/go-1.19/pkg/tool/linux_amd64/compile", True),
        ("/.dockerenv", False),
        ("/app/LICENSE", False),
        ("/app/README", False),
        ("/app/node_modules/esbuild/bin", False),
        ("/app/node_modules/pkg/Makefile", False),
        ("/opt/venv/lib/python3.11/site-packages/x/y", False),
        ("/usr/lib/x86_64-linux-gnu/libc.so.6", False),
        ("/usr/share/doc/bash/copyright", False),
        ("/etc/passwd", False),
        ("/app/server.js", False),
        ("/usr/bin/", False),
    ],
)
def test_executable_candidates(path: str, wanted: bool) -> None:
    assert _binpaths.executable_candidate(path) is wanted


def test_exec_bit() -> None:
    assert _binpaths.has_exec_bit(0o100755)
    assert _binpaths.has_exec_bit(0o100700)
    assert not _binpaths.has_exec_bit(0o100644)
    assert _binpaths.has_exec_bit(0)  # unknown mode: look inside


def test_read_executable() -> None:
    elf = build_elf([Sec(".note.x", b"abc")])
    assert _binpaths.read_executable(bytes_input("/usr/bin/a", elf), lambda fh, img: img.is64)
    assert _binpaths.read_executable(bytes_input("/usr/bin/a", b"#!/bin/sh\n"), _never) is None

    def unopenable() -> io.BytesIO:
        raise AssertionError("a file without an execute bit is never opened")

    plain = FileInput("/usr/bin/a", len(elf), 0o100644, unopenable)
    assert _binpaths.read_executable(plain, _never) is None

    def damaged(fh: object, img: object) -> None:
        raise ElfError("section .x runs past the end")

    with pytest.raises(AnalyzerError, match=r"^/usr/bin/a: section \.x runs past the end$"):
        _binpaths.read_executable(bytes_input("/usr/bin/a", elf), damaged)


def _never(fh: object, img: object) -> None:
    raise AssertionError("not an ELF executable: never read")
