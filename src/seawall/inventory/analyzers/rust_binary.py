"""Rust executables built with cargo-auditable: the crates listed in the ``.dep-v0`` section.

cargo-auditable links a zlib-compressed JSON document into the ELF section ``.dep-v0``:
``{"packages": [{"name", "version", "source", "kind"?, "dependencies"?, "root"?}, ...]}``
(``source`` is ``crates.io``, ``git``, ``local``, ``registry`` or another string; ``kind``
is ``runtime`` when omitted, ``build`` for build-time-only crates; ``root`` marks the binary's
own crate). Linux images hold ELF only, so PE and Mach-O are left out.

Decisions: ``build`` crates (build scripts, proc macros) are not linked into the binary and are
skipped, like Trivy. The root crate is reported (it is what the binary is) with
``cargo.root=true``; any crate not from crates.io carries ``cargo.source`` so a matcher can
tell a local ``myapp 0.1.0`` from the crates.io crate of the same name. purl
``pkg:cargo/<name>@<version>``.

Bounds: the compressed section is capped, decompression stops at a fixed output size (a zlib
bomb is an error, not a memory spike), and the JSON is refused when it holds more objects than
any real dependency tree would.
"""

from __future__ import annotations

import json
import zlib
from typing import Any, BinaryIO

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._binpaths import executable_candidate, read_executable
from seawall.inventory.analyzers._elf import ElfImage, read_section
from seawall.inventory.purl import make_purl
from seawall.model.inventory import Package

ANALYZER_ID = "rust-binary"
SECTION = ".dep-v0"
MAX_BINARY = 512 * 1024 * 1024
#: A real section is a few kilobytes (about 100 bytes per crate, compressed ~5x).
MAX_COMPRESSED = 4 * 1024 * 1024
MAX_JSON = 4 * 1024 * 1024
MAX_PACKAGES = 20_000
_MAX_FIELD = 512


@analyzer(
    id=ANALYZER_ID,
    version=1,
    description="Rust executables: crates recorded by cargo-auditable in the .dep-v0 section",
    required=executable_candidate,
    max_bytes=MAX_BINARY,
)
def analyze(file: FileInput) -> Found:
    """Report the runtime crates of one cargo-auditable executable (nothing for other files)."""
    raw = read_executable(file, _read_dep_section)
    if raw is None:
        return Found()
    try:
        doc = json.loads(inflate(raw, MAX_JSON))
    except (ValueError, RecursionError) as exc:
        raise AnalyzerError(
            f"{file.path}: {SECTION} is not valid cargo-auditable data: {_short(exc)}"
        ) from None
    return packages_from(doc, file.path)


def _read_dep_section(fh: BinaryIO, img: ElfImage) -> bytes | None:
    """The compressed ``.dep-v0`` bytes; None when the binary has no such section."""
    sec = img.section(SECTION)
    return None if sec is None else read_section(fh, img, sec, MAX_COMPRESSED)


def inflate(data: bytes, limit: int) -> bytes:
    """zlib-decompress ``data`` to at most ``limit`` bytes (``ValueError`` beyond, or if damaged)."""
    try:
        engine = zlib.decompressobj()
        out = engine.decompress(data, limit)
    except zlib.error as exc:
        raise ValueError(f"zlib: {exc}") from None
    if engine.unconsumed_tail:
        raise ValueError(f"decompresses to more than {limit} bytes")
    if not engine.eof:
        raise ValueError("zlib stream is truncated")
    # Each package is one JSON object; refuse object floods before building them.
    if out.count(b"{") > MAX_PACKAGES + 1:
        raise ValueError(f"more than {MAX_PACKAGES} objects")
    return out


def packages_from(doc: Any, path: str) -> Found:
    """The runtime crates of a decoded cargo-auditable document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("packages"), list):
        raise AnalyzerError(f"{path}: {SECTION} has no 'packages' list")
    out: list[Package] = []
    seen: set[tuple[str, str]] = set()
    bad = 0
    for entry in doc["packages"]:
        if isinstance(entry, dict) and entry.get("kind") == "build":
            continue  # build scripts and proc macros are not linked into the binary
        pkg = _package(entry, path)
        if pkg is None:
            bad += 1
        elif (pkg.name, pkg.version) not in seen:
            seen.add((pkg.name, pkg.version))
            out.append(pkg)
    notes = (f"{path}: {bad} malformed {SECTION} package entries skipped",) if bad else ()
    return Found(packages=tuple(out), notes=notes)


def _package(entry: Any, path: str) -> Package | None:
    """The Package of one entry; None when the entry is malformed."""
    if not isinstance(entry, dict):
        return None
    name, version = _text(entry.get("name")), _text(entry.get("version"))
    if name is None or version is None:
        return None
    source = entry.get("source")
    if isinstance(source, dict) and len(source) == 1:
        source = next(iter(source.values()))  # {"Other": "..."} in some serialisations
    props: list[tuple[str, str]] = []
    if entry.get("root") is True:
        props.append(("cargo.root", "true"))
    source_text = _text(source) or "unknown"
    if source_text != "crates.io":
        props.append(("cargo.source", source_text))
    return Package(
        name=name,
        version=version,
        ecosystem="cargo",
        purl=make_purl("cargo", name, version),
        analyzer=ANALYZER_ID,
        path=path,
        properties=tuple(props),
    )


def _text(value: Any) -> str | None:
    """``value`` if it is a non-empty, short, printable string (as real names and versions are)."""
    if isinstance(value, str) and 0 < len(value) <= _MAX_FIELD and value.isprintable():
        return value
    return None


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
