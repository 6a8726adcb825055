"""The ``apk`` analyzer: Alpine packages from ``/lib/apk/db/installed``.

The installed database (apk-tools' text format, one record per package, records separated by
blank lines) has one ``X:value`` line per fact; the letters used here are ``P`` name, ``V``
version, ``A`` architecture, ``o`` origin (the source package: Alpine's advisories are per
origin), ``L`` license (an SPDX-style expression, kept whole) and ``m`` maintainer. File
lists (``F``/``R``/``Z``...) can make the file large; they are streamed past, never held.
Every record is installed (apk has no removed-but-listed state). A package listed twice keeps
its last record. Alpine versions have no epoch. The purl is
``pkg:apk/alpine/NAME@VERSION?arch=A``; the pipeline sets the namespace and ``distro`` from
the image's OS (``os_release.apply_os``). The origin's version is the package's own (an apk
is built from its origin at the same version).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._distro import os_purl
from seawall.inventory.analyzers._lines import Notes, bounded_lines
from seawall.model.inventory import Package

INSTALLED = "/lib/apk/db/installed"
MAX_RECORDS = 100_000
MAX_BYTES = 256 * 1024 * 1024

_LETTERS = frozenset(b"PVAoLm")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+._-]{0,255}$")
_ARCH = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_VERSION = re.compile(r"^[A-Za-z0-9.+~_-]{1,256}$")


def _required(path: str) -> bool:
    return path == INSTALLED


def _records(fi: FileInput, notes: Notes) -> Iterator[tuple[int, dict[str, str]]]:
    """``(first line, {letter: value})`` per record, keeping only the letters we use."""
    current: dict[str, str] | None = None
    start = 0
    count = 0
    bad_lines = 0
    with fi.open() as fh:
        for lineno, raw, _ in bounded_lines(fh, fi.path, max_bytes=MAX_BYTES):
            if raw[1:2] == b":" and 0x21 <= raw[0] <= 0x7E:
                if current is None:
                    count += 1
                    if count > MAX_RECORDS:
                        raise AnalyzerError(f"{fi.path}: more than {MAX_RECORDS} records")
                    current, start = {}, lineno
                if raw[0] in _LETTERS:  # the few letters we use; file lists etc. pass by
                    if b"\x00" in raw:
                        bad_lines += 1
                        continue
                    current[chr(raw[0])] = raw[2:].decode("utf-8", "replace").strip()
            elif not raw.strip():
                if current is not None:
                    yield start, current
                    current = None
            else:
                bad_lines += 1
    if current is not None:
        yield start, current
    if bad_lines:
        notes.add(f"{bad_lines} malformed lines ignored")


def _package(line: int, rec: dict[str, str], path: str, notes: Notes) -> Package | None:
    name, version = rec.get("P", ""), rec.get("V", "")
    if not _NAME.match(name):
        notes.add(f"record at line {line}: missing or invalid P: (name); skipped")
        return None
    if not _VERSION.match(version):
        notes.add(
            f"record at line {line} ({name}): missing or invalid V: {version[:80]!r}; skipped"
        )
        return None
    arch = rec.get("A") or None
    if arch is not None and not _ARCH.match(arch):
        notes.add(f"record at line {line} ({name}): invalid A: {arch[:40]!r}; ignored")
        arch = None
    origin = rec.get("o") or name
    license_ = rec.get("L", "")
    return Package(
        name=name,
        version=version,
        ecosystem="apk",
        purl=os_purl("apk", name, version, namespace="alpine", arch=arch),
        analyzer="apk",
        path=path,
        source_name=origin,
        source_version=version,
        arch=arch,
        licenses=(license_,) if license_ else (),
        maintainer=rec.get("m") or None,
    )


@analyzer(
    id="apk",
    version=1,
    description="Alpine packages from /lib/apk/db/installed",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(fi: FileInput) -> Found:
    """The packages of one apk installed database."""
    notes = Notes(fi.path)
    found: dict[str, Package] = {}
    records = 0
    for line, rec in _records(fi, notes):
        records += 1
        pkg = _package(line, rec, fi.path, notes)
        if pkg is not None:
            found.pop(pkg.name, None)  # the last record wins, in its own place
            found[pkg.name] = pkg
    if records == 0 and fi.size > 0:
        raise AnalyzerError(f"{fi.path}: no package records, not an apk installed database")
    return Found(packages=tuple(found.values()), notes=notes.done())
