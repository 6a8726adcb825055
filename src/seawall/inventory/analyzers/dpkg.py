"""The ``dpkg`` analyzer: Debian packages from ``/var/lib/dpkg/status`` and ``status.d/``.

The status file is a sequence of deb822 stanzas (deb-control(5): ``Field: value`` lines,
continuation lines starting with a space or tab, stanzas separated by blank lines).
Distroless images have no status file but one file per package (or group of packages) in
``/var/lib/dpkg/status.d/``, in the same format; the ``*.md5sums`` files beside them are not
read.

Which packages count: those whose files are on disk, i.e. whose ``Status`` (``want flag
state``, dpkg-query(1)) has a state other than ``not-installed`` and ``config-files``.
``dpkg-query -W`` also lists ``config-files`` packages (removed, configuration kept), but no
code of theirs remains, so an SBOM must not list them. In ``status.d/`` files a stanza without
``Status`` is installed: the file itself is the installation record.

Each package keeps ``Version`` exactly as dpkg prints it (with its epoch, ``1:2.0-1``), the
epoch also as ``epoch``, and its source package: ``Source: name (version)``, where the name
defaults to the binary package's and the version to the binary's version (``cpp 4:12.2.0-3``
is built from ``gcc-defaults 1.203``), as ``dpkg-query``'s ``source:Package`` and
``source:Version`` do. A package listed twice (same name and architecture) keeps its last
stanza. The purl is ``pkg:deb/debian/NAME@VERSION-WITHOUT-EPOCH?arch=A&epoch=N``; the
pipeline sets the namespace and ``distro`` from the image's OS (``os_release.apply_os``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._distro import os_purl, split_epoch
from seawall.inventory.analyzers._lines import Notes, bounded_lines
from seawall.model.inventory import Package

STATUS = "/var/lib/dpkg/status"
STATUS_D = "/var/lib/dpkg/status.d/"
#: Stanzas per file beyond which the file is refused (real systems have a few thousand).
MAX_STANZAS = 100_000
MAX_BYTES = 256 * 1024 * 1024

_FIELDS = frozenset({"package", "status", "version", "architecture", "source", "maintainer"})
#: States whose files are (at least partly) on disk.
_PRESENT = frozenset(
    {
        "installed",
        "triggers-awaited",
        "triggers-pending",
        "half-configured",
        "unpacked",
        "half-installed",
    }
)
_ABSENT = frozenset({"not-installed", "config-files"})
_FIELD = re.compile(rb"^([!-9;-~][!-9;-~]*):[ \t]*(.*)$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+._-]{0,255}$")
_ARCH = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_VERSION = re.compile(r"^[A-Za-z0-9.+~:_-]{1,256}$")
_SOURCE = re.compile(r"^(?P<name>[^\s()]+)(?:\s*\((?P<version>[^\s()]+)\))?$")


def _required(path: str) -> bool:
    if path == STATUS:
        return True
    return (
        path.startswith(STATUS_D)
        and "/" not in path[len(STATUS_D) :]
        and len(path) > len(STATUS_D)
        and not path.endswith(".md5sums")
    )


@dataclass(slots=True)
class _Stanza:
    line: int
    fields: dict[str, str] = field(default_factory=dict)


def _stanzas(fi: FileInput, notes: Notes) -> Iterator[_Stanza]:
    """The stanzas of the file with only the fields we use; malformed lines become notes."""
    current: _Stanza | None = None
    count = 0
    bad_lines = 0
    with fi.open() as fh:
        for lineno, raw, truncated in bounded_lines(fh, fi.path, max_bytes=MAX_BYTES):
            if not raw.strip():
                if current is not None:
                    yield current
                    current = None
                continue
            if raw[:1] in (b" ", b"\t") or raw[:1] == b"#":
                continue  # continuation of a multi-line field (none we use) or a comment
            m = _FIELD.match(raw)
            if m is None or b"\x00" in raw:
                bad_lines += 1
                continue
            name = m.group(1).decode("ascii").lower()
            if current is None:
                count += 1
                if count > MAX_STANZAS:
                    raise AnalyzerError(f"{fi.path}: more than {MAX_STANZAS} stanzas")
                current = _Stanza(lineno)
            if name in _FIELDS:
                if truncated:
                    notes.add(f"line {lineno}: {name} field over the line length limit")
                current.fields[name] = m.group(2).decode("utf-8", "replace").strip()
    if current is not None:
        yield current
    if bad_lines:
        notes.add(f"{bad_lines} malformed lines ignored")


def _state(fields: dict[str, str], in_status_d: bool) -> str | None:
    """The dpkg state word (third word of ``Status``), or None when the stanza has no Status."""
    status = fields.get("status")
    if status is None:
        return "installed" if in_status_d else None
    words = status.split()
    return words[2] if len(words) == 3 else ""


def _package(stanza: _Stanza, path: str, notes: Notes, in_status_d: bool) -> Package | None:
    """The package a stanza describes, None when not installed or unusable (with a note)."""
    f = stanza.fields
    where = f"stanza at line {stanza.line}"
    name = f.get("package", "")
    if not _NAME.match(name):
        notes.add(f"{where}: missing or invalid Package field; skipped")
        return None
    state = _state(f, in_status_d)
    if state in _ABSENT:
        return None
    if state not in _PRESENT:
        notes.add(f"{where} ({name}): unreadable Status {f.get('status')!r}; skipped")
        return None
    version = f.get("version", "")
    epoch, _ = split_epoch(version)
    if not _VERSION.match(version) or (":" in version and epoch is None):
        notes.add(f"{where} ({name}): missing or invalid Version {version[:80]!r}; skipped")
        return None
    arch = f.get("architecture") or None
    if arch is not None and not _ARCH.match(arch):
        notes.add(f"{where} ({name}): invalid Architecture {arch[:40]!r}; ignored")
        arch = None
    source_name, source_version = name, version
    if "source" in f:
        m = _SOURCE.match(f["source"])
        if m is None:
            notes.add(f"{where} ({name}): invalid Source {f['source'][:80]!r}; ignored")
        else:
            source_name = m.group("name")
            source_version = m.group("version") or version
    return Package(
        name=name,
        version=version,
        ecosystem="deb",
        purl=os_purl("deb", name, version, namespace="debian", arch=arch, epoch=epoch),
        analyzer="dpkg",
        path=path,
        source_name=source_name,
        source_version=source_version,
        epoch=epoch,
        arch=arch,
        maintainer=f.get("maintainer") or None,
    )


@analyzer(
    id="dpkg",
    version=1,
    description="Debian packages from /var/lib/dpkg/status and distroless status.d/",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(fi: FileInput) -> Found:
    """The installed packages listed in one dpkg status file."""
    notes = Notes(fi.path)
    in_status_d = fi.path != STATUS
    found: dict[tuple[str, str | None], Package] = {}
    stanzas = 0
    for stanza in _stanzas(fi, notes):
        stanzas += 1
        pkg = _package(stanza, fi.path, notes, in_status_d)
        if pkg is not None:
            key = (pkg.name, pkg.arch)
            found.pop(key, None)  # the last stanza wins, in its own place
            found[key] = pkg
    if stanzas == 0 and fi.size > 0:
        raise AnalyzerError(f"{fi.path}: no package stanzas, not a dpkg status file")
    return Found(packages=tuple(found.values()), notes=notes.done())
