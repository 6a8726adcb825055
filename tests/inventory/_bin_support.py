"""Helpers of the binary-analyzer tests (gobinary, rust-binary, java): inputs built from scratch.

- ``build_elf``: a minimal but well-formed ELF (32/64-bit, either byte order) with the given
  sections, one ``PT_LOAD`` segment per section that has an address.
- Go build info blobs in both layouts (inline strings of Go 1.18+, pointers before that).
- cargo-auditable ``.dep-v0`` payloads.
- Deterministic zip archives (fixed timestamps) for the Java analyzer.
- ``write_fixture_inputs``: writes the checked-in fixture inputs, so a test can prove they are
  reproducible from this code.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from seawall.inventory.analyzer import FileInput
from tests.inventory import _fixtures

GO_MAGIC = b"\xff Go buildinf:"
# cmd/go frames the module info with these two 16-byte sentinels (infoStart, infoEnd).
INFO_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
INFO_END = bytes.fromhex("f932433186182072008242104116d8f2")
ZIP_TIME = (2024, 1, 2, 3, 4, 6)


def bytes_input(image_path: str, data: bytes, mode: int = 0o100755) -> FileInput:
    """A FileInput over bytes in memory (executable by default, unlike ``_fixtures``')."""
    return _fixtures.bytes_input(image_path, data, mode)


@dataclass(frozen=True)
class Sec:
    """A section to put in a built ELF (``addr`` 0 means not loaded)."""

    name: str
    data: bytes
    addr: int = 0
    type: int = 1  # SHT_PROGBITS


def _pad(buf: bytearray, align: int) -> None:
    buf.extend(b"\0" * (-len(buf) % align))


def build_elf(
    sections: list[Sec], *, is64: bool = True, little: bool = True, strip_sections: bool = False
) -> bytes:
    """A minimal ELF executable holding ``sections`` (plus ``.shstrtab``)."""
    e = "<" if little else ">"
    ehsize, shent, phent = (64, 64, 56) if is64 else (52, 40, 32)
    body = bytearray(ehsize)
    offsets = []
    for sec in sections:
        _pad(body, 16)
        offsets.append(len(body))
        body += sec.data
    names = bytearray(b"\0")
    name_offs = []
    for sec in sections:
        name_offs.append(len(names))
        names += sec.name.encode() + b"\0"
    shstr_name = len(names)
    names += b".shstrtab\0"
    _pad(body, 8)
    shstr_off = len(body)
    body += names
    loads = [(offsets[i], sec) for i, sec in enumerate(sections) if sec.addr]
    _pad(body, 8)
    phoff = len(body)
    for off, sec in loads:
        size = len(sec.data)
        if is64:
            body += struct.pack(e + "IIQQQQQQ", 1, 6, off, sec.addr, sec.addr, size, size, 0x1000)
        else:
            body += struct.pack(e + "IIIIIIII", 1, off, sec.addr, sec.addr, size, size, 6, 0x1000)
    _pad(body, 8)
    shoff = len(body)
    sh_fmt = e + ("IIQQQQIIQQ" if is64 else "IIIIIIIIII")
    body += bytes(shent)
    for i, sec in enumerate(sections):
        body += struct.pack(
            sh_fmt,
            name_offs[i],
            sec.type,
            2 if sec.addr else 0,
            sec.addr,
            offsets[i],
            len(sec.data),
            0,
            0,
            1,
            0,
        )
    body += struct.pack(sh_fmt, shstr_name, 3, 0, 0, shstr_off, len(names), 0, 0, 1, 0)
    shnum, shstrndx = len(sections) + 2, len(sections) + 1
    if strip_sections:
        shoff = shnum = shstrndx = 0
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1 if little else 2, 1, 0]) + bytes(8)
    hdr_fmt = e + ("HHIQQQIHHHHHH" if is64 else "HHIIIIIHHHHHH")
    header = ident + struct.pack(
        hdr_fmt,
        2,
        62 if is64 else 3,
        1,
        0,
        phoff if loads else 0,
        shoff,
        0,
        ehsize,
        phent,
        len(loads),
        shent,
        shnum,
        shstrndx,
    )
    body[:ehsize] = header
    return bytes(body)


def uvarint(n: int) -> bytes:
    """Go's unsigned varint encoding."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def framed(modinfo: str) -> bytes:
    """Module info between cmd/go's sentinels, as linked into a binary."""
    return INFO_START + modinfo.encode() + INFO_END


def go_inline_blob(version: str, modinfo: str, *, ptr_size: int = 8, big: bool = False) -> bytes:
    """A Go 1.18+ build info blob: 32-byte header, then varint-prefixed strings."""
    head = GO_MAGIC + bytes([ptr_size, 0x2 | int(big)]) + bytes(16)
    mod = framed(modinfo)
    return head + uvarint(len(version)) + version.encode() + uvarint(len(mod)) + mod


def go_inline_elf(version: str, modinfo: str, **kw: bool) -> bytes:
    """An ELF whose ``.go.buildinfo`` section holds an inline (Go 1.18+) blob."""
    is64 = kw.get("is64", True)
    blob = go_inline_blob(
        version, modinfo, ptr_size=8 if is64 else 4, big=not kw.get("little", True)
    )
    return build_elf(
        [Sec(".text", b"\xc3" * 16, 0x401000), Sec(".go.buildinfo", blob, 0x402000)], **kw
    )


def go_pointer_elf(
    version: str,
    modinfo: str,
    *,
    is64: bool = True,
    little: bool = True,
    strip_sections: bool = False,
) -> bytes:
    """An ELF with the pre-1.18 layout: the header points at Go string headers in ``.data``."""
    e = "<" if little else ">"
    ptr = 8 if is64 else 4
    pf = e + ("QQ" if is64 else "II")
    rodata_addr, data_addr, info_addr = 0x500000, 0x600000, 0x400000
    mod = framed(modinfo)
    rodata = version.encode() + mod
    data = struct.pack(pf, rodata_addr, len(version)) + struct.pack(
        pf, rodata_addr + len(version), len(mod)
    )
    ptrs = struct.pack(pf, data_addr, data_addr + 2 * ptr)
    blob = GO_MAGIC + bytes([ptr, 0 if little else 1]) + ptrs
    blob += bytes(32 - len(blob))
    # The build info comes first, so it is also the first writable segment (Go's fallback).
    secs = [
        Sec(".go.buildinfo", blob, info_addr),
        Sec(".rodata", rodata, rodata_addr),
        Sec(".data", data, data_addr),
    ]
    return build_elf(secs, is64=is64, little=little, strip_sections=strip_sections)


def dep_v0(packages: list[dict[str, object]], **extra: object) -> bytes:
    """A cargo-auditable payload: zlib-compressed ``{"packages": [...]}``."""
    return zlib.compress(json.dumps({"packages": packages, **extra}).encode())


def rust_elf(payload: bytes, **kw: bool) -> bytes:
    """A synthetic ELF carrying ``payload`` in a ``.dep-v0`` section (not loaded)."""
    return build_elf([Sec(".text", b"\xc3" * 16, 0x401000), Sec(".dep-v0", payload)], **kw)


def zip_bytes(members: list[tuple[str, bytes]], *, stored: bool = False) -> bytes:
    """A deterministic zip archive (fixed timestamps, given order)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def manifest(**attrs: str) -> bytes:
    """A MANIFEST.MF with ``Manifest-Version`` and the given main attributes (``_`` -> ``-``)."""
    lines = ["Manifest-Version: 1.0", *(f"{k.replace('_', '-')}: {v}" for k, v in attrs.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def pom_properties(group: str, artifact: str, version: str) -> bytes:
    """pom.properties as Maven writes it."""
    return f"#Created by Apache Maven 3.9.6\nversion={version}\ngroupId={group}\nartifactId={artifact}\n".encode()


def maven_jar(
    group: str,
    artifact: str,
    version: str,
    *,
    stored: bool = False,
    extra: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """A jar laid out as Maven builds it: manifest, classes, pom.properties and pom.xml."""
    base = f"META-INF/maven/{group}/{artifact}/"
    return zip_bytes(
        [
            (
                "META-INF/MANIFEST.MF",
                manifest(Created_By="Maven JAR Plugin 3.3.0", Build_Jdk_Spec="17"),
            ),
            (f"{group.replace('.', '/')}/Main.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x3d"),
            (base + "pom.xml", f"<project><groupId>{group}</groupId></project>".encode()),
            (base + "pom.properties", pom_properties(group, artifact, version)),
            *(extra or []),
        ],
        stored=stored,
    )


GO_MODINFO = "\n".join(
    [
        "path\texample.com/tool/cmd/tool",
        "mod\texample.com/tool\t(devel)\t",
        "dep\tgithub.com/BurntSushi/toml\tv1.2.1\th1:9F2/+DoOYIOksmaRlGrafWSNY6T2fo1+7cn7hrwdmwXE=",
        "dep\tgolang.org/x/net\tv0.7.0\th1:rJrUqqhjsgNp7KqAIc25s9pZnjU7TUcSY7HcVZjdn1g=",
        "=>\tgolang.org/x/net\tv0.17.0\th1:pVaXccu2ozPjCF6k0nMd0qKWN5a1eSp6Nj7qgHN5xnE=",
        "dep\texample.com/internal/lib\tv0.0.0-00010101000000-000000000000\t",
        "=>\t../lib\t",
        "build\t-compiler=gc",
        'build\t-ldflags="-s -w -X main.version=2.3.4"',
        "build\tCGO_ENABLED=0",
        "build\tGOARCH=amd64",
        "build\tGOOS=linux",
        "build\tvcs=git",
        "build\tvcs.revision=0123456789abcdef0123456789abcdef01234567",
        "build\tvcs.modified=false",
        "",
    ]
)
OLD_GO_MODINFO = "path\texample.com/legacy\nmod\texample.com/legacy\tv1.0.3\th1:abc=\ndep\tgithub.com/pkg/errors\tv0.9.1\th1:def=\n"
CARGO_PACKAGES: list[dict[str, object]] = [
    {
        "name": "rg-lite",
        "version": "0.3.0",
        "source": "local",
        "root": True,
        "dependencies": [1, 2, 3],
    },
    {"name": "memchr", "version": "2.6.4", "source": "crates.io"},
    {"name": "regex", "version": "1.10.2", "source": "crates.io", "dependencies": [1]},
    {"name": "cc", "version": "1.0.83", "source": "crates.io", "kind": "build"},
    {"name": "private-util", "version": "0.1.0", "source": "registry"},
]


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def write_fixture_inputs(analyzer_id: str, root: Path) -> None:
    """Write the fixture input tree of one binary analyzer under ``root``."""
    if analyzer_id == "gobinary":
        _write(root / "usr/local/bin/tool", go_inline_elf("go1.21.5", GO_MODINFO), 0o755)
        _write(root / "app/legacy", go_pointer_elf("go1.16.15", OLD_GO_MODINFO), 0o755)
        _write(root / "usr/bin/not-go", build_elf([Sec(".text", b"\xc3" * 16, 0x401000)]), 0o755)
        _write(root / "usr/bin/script", b"#!/bin/sh\necho hi\n", 0o755)
        _write(root / "usr/local/bin/not-executable", go_inline_elf("go1.21.5", GO_MODINFO), 0o644)
    elif analyzer_id == "rust-binary":
        _write(root / "usr/local/bin/rg-lite", rust_elf(dep_v0(CARGO_PACKAGES, format=1)), 0o755)
        _write(root / "usr/bin/plain", build_elf([Sec(".text", b"\xc3" * 16, 0x401000)]), 0o755)
    elif analyzer_id == "java":
        lib = maven_jar("org.apache.commons", "commons-lang3", "3.12.0")
        shaded = maven_jar(
            "com.example",
            "service",
            "1.4.0",
            extra=[
                (
                    "META-INF/maven/com.google.guava/guava/pom.properties",
                    pom_properties("com.google.guava", "guava", "32.1.3-jre"),
                ),
            ],
        )
        osgi = zip_bytes(
            [
                (
                    "META-INF/MANIFEST.MF",
                    manifest(
                        Bundle_SymbolicName="com.fasterxml.jackson.core.jackson-core;singleton:=true",
                        Bundle_Version="2.15.2",
                        Implementation_Version="2.15.2",
                    ),
                )
            ]
        )
        war = zip_bytes(
            [
                ("WEB-INF/web.xml", b"<web-app/>"),
                ("WEB-INF/lib/commons-lang3-3.12.0.jar", lib),
                ("WEB-INF/lib/jackson-core-2.15.2.jar", osgi),
                (
                    "META-INF/maven/com.example/webapp/pom.properties",
                    pom_properties("com.example", "webapp", "2.0.1"),
                ),
            ]
        )
        boot = zip_bytes(
            [
                ("BOOT-INF/lib/service-1.4.0.jar", shaded),
                ("BOOT-INF/classes/app.properties", b"x=1\n"),
            ],
            stored=True,
        )
        _write(root / "opt/app/lib/commons-lang3-3.12.0.jar", lib, 0o644)
        _write(root / "usr/local/tomcat/webapps/shop.war", war, 0o644)
        _write(root / "app/boot.jar", boot, 0o644)
        _write(
            root / "opt/app/lib/no-metadata.jar",
            zip_bytes([("a/B.class", b"\xca\xfe\xba\xbe")]),
            0o644,
        )
    else:
        raise ValueError(analyzer_id)
