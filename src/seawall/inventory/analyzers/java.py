"""Java archives (jar, war, ear, par; Jenkins jpi/hpi): Maven coordinates, nested archives too.

Sources of truth, in order, per archive:

- ``META-INF/maven/<groupId>/<artifactId>/pom.properties`` (written by Maven and Gradle's
  maven-publish): every one found is a package ``groupId:artifactId`` at ``version``. A shaded
  jar holds one per bundled artifact, all of which are really inside.
- ``META-INF/MANIFEST.MF``, only when the archive has no pom.properties at all: the version
  from ``Implementation-Version`` (else ``Bundle-Version``, ``Specification-Version``); the
  coordinates from ``Implementation-Vendor-Id`` + ``Implementation-Title``, else the OSGi
  ``Bundle-SymbolicName`` split at its last dot (``com.fasterxml.jackson.core.jackson-databind``),
  else a bare title. Such packages say ``java.evidence=manifest``.
- nested archives (``WEB-INF/lib/*.jar``, ``BOOT-INF/lib/*.jar``, jars inside an ear...),
  recursively. No file name guessing: an archive with neither source reports nothing.

purl ``pkg:maven/<groupId>/<artifactId>@<version>``; ``name`` is ``groupId:artifactId`` (as
advisory databases spell Maven packages). ``path`` is always the archive file in the image;
packages of nested archives add ``java.archive`` (``WEB-INF/lib/a.jar!/lib/b.jar``).

Nothing is extracted. Stored nested archives are read in place through a window on the outer
stream; compressed ones are inflated into a ``SpooledTemporaryFile`` (memory up to
``SPOOL_IN_MEMORY``, then the process temp dir). Limits (each breach is a note, the rest of
the archive is still read): nesting depth, nested archive count, one nested archive's size and
compression ratio, total inflated bytes, total entries, metadata file sizes.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._zip import (
    STORED,
    Member,
    Stream,
    ZipError,
    ZipReader,
    stream_size,
)
from seawall.inventory.purl import make_purl
from seawall.model.inventory import Package

ANALYZER_ID = "java"
SUFFIXES = (".jar", ".war", ".ear", ".par", ".jpi", ".hpi")
MAX_ARCHIVE = 512 * 1024 * 1024
MAX_DEPTH = 3
MAX_NESTED_ARCHIVES = 1024
MAX_NESTED_BYTES = 128 * 1024 * 1024
MAX_TOTAL_INFLATED = 1024 * 1024 * 1024
MAX_TOTAL_ENTRIES = 1_000_000
#: Jars inside a jar barely compress (their members already are): a huge ratio is a bomb.
MAX_RATIO = 50
SPOOL_IN_MEMORY = 4 * 1024 * 1024
MAX_POM_PROPERTIES = 64 * 1024
MAX_MANIFEST = 1024 * 1024
MAX_METADATA_FILES = 10_000
#: Packages from one outer archive (a big ear holds a few hundred).
MAX_PACKAGES = 20_000

_COORD = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")
_VERSION = re.compile(r"^[^\s/\\]{1,128}$")
_MANIFEST = "META-INF/MANIFEST.MF"


@dataclass(frozen=True, slots=True)
class Coordinates:
    """Maven coordinates (``group`` may be unknown for manifest-only archives)."""

    group: str | None
    artifact: str
    version: str


def is_java_archive(path: str) -> bool:
    """Whether ``path`` names a Java archive (by suffix, case-insensitively)."""
    return path[-4:].lower() in SUFFIXES


@analyzer(
    id=ANALYZER_ID,
    version=1,
    description="Java archives (jar/war/ear/par): Maven pom.properties and MANIFEST.MF, nested archives included",
    required=is_java_archive,
    max_bytes=MAX_ARCHIVE,
)
def analyze(file: FileInput) -> Found:
    """Report the Maven artifacts inside one archive and the archives nested in it."""
    walk = _Walk(file.path)
    with file.open() as fh:
        try:
            walk.archive(fh, stream_size(fh), "", 0)
        except ZipError as exc:
            raise AnalyzerError(f"{file.path}: {exc}") from None
    return Found(packages=tuple(walk.packages), notes=tuple(walk.notes))


@dataclass(slots=True)
class _Walk:
    """State of one archive's recursive walk: results, notes and the remaining budgets."""

    path: str
    packages: list[Package] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    nested: int = 0
    entries: int = 0
    inflated: int = 0
    #: Limits already reported (each is noted once per outer archive, not once per victim).
    limits_hit: set[str] = field(default_factory=set)

    def archive(self, fh: Stream, size: int, where: str, depth: int) -> None:
        """Read one archive (``where`` is its location inside the outer one; "" for the outer)."""
        reader = ZipReader(fh, size)
        if self.entries + reader.count > MAX_TOTAL_ENTRIES:
            raise ZipError(f"more than {MAX_TOTAL_ENTRIES} entries in all nested archives")
        self.entries += reader.count
        poms: list[Member] = []
        manifest: Member | None = None
        inner: list[Member] = []
        for m in reader.members():
            if m.is_dir:
                continue
            if m.name.startswith("META-INF/maven/") and m.name.endswith("/pom.properties"):
                if len(poms) < MAX_METADATA_FILES:
                    poms.append(m)
            elif m.name.upper() == _MANIFEST:
                manifest = m
            elif m.name[-4:].lower() in SUFFIXES:
                inner.append(m)
        for m in poms:
            text = self._text(reader, m, MAX_POM_PROPERTIES, where)
            coords = pom_coordinates(parse_properties(text)) if text is not None else None
            if coords is not None:
                self._add(coords, where, "pom.properties")
            elif text is not None:
                self._note(where, f"{_clean(m.name)} lacks a valid groupId, artifactId or version")
        if not poms and manifest is not None:
            text = self._text(reader, manifest, MAX_MANIFEST, where)
            coords = manifest_coordinates(parse_manifest(text)) if text is not None else None
            if coords is not None:
                self._add(coords, where, "manifest")
        for m in inner:
            self._nested(reader, m, where, depth + 1)

    def _nested(self, reader: ZipReader, member: Member, where: str, depth: int) -> None:
        here = f"{where}!/{_clean(member.name)}" if where else _clean(member.name)
        if depth > MAX_DEPTH:
            self._note_once("depth", here, f"nested deeper than {MAX_DEPTH} archives; not read")
            return
        if self.nested >= MAX_NESTED_ARCHIVES:
            self._note_once(
                "count",
                here,
                f"more than {MAX_NESTED_ARCHIVES} nested archives; the rest are not read",
            )
            return
        self.nested += 1
        try:
            if member.method == STORED and member.csize == member.usize and not member.flags & 1:
                self.archive(reader.data(member), member.csize, here, depth)
                return
            self._check_spool(member)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
                for piece in reader.chunks(member, member.usize):
                    spool.write(piece)
                self.inflated += member.usize
                self.archive(spool, member.usize, here, depth)
        except ZipError as exc:
            self._note(here, str(exc))

    def _check_spool(self, member: Member) -> None:
        if member.usize > MAX_NESTED_BYTES:
            raise ZipError(
                f"{member.usize} bytes is over the {MAX_NESTED_BYTES}-byte nested archive limit"
            )
        if member.usize > 1024 * 1024 and member.usize > MAX_RATIO * max(member.csize, 1):
            raise ZipError(f"compression ratio over {MAX_RATIO}: treated as a decompression bomb")
        if self.inflated + member.usize > MAX_TOTAL_INFLATED:
            raise ZipError(f"over the {MAX_TOTAL_INFLATED}-byte total for nested archives")

    def _text(self, reader: ZipReader, member: Member, limit: int, where: str) -> str | None:
        try:
            return reader.read(member, limit).decode("utf-8", "replace")
        except ZipError as exc:
            self._note(where, str(exc))
            return None

    def _add(self, coords: Coordinates, where: str, evidence: str) -> None:
        name = f"{coords.group}:{coords.artifact}" if coords.group else coords.artifact
        if (name, coords.version) in self.seen:
            return
        if len(self.packages) >= MAX_PACKAGES:
            self._note_once(
                "packages", where, f"more than {MAX_PACKAGES} packages; the rest are not listed"
            )
            return
        self.seen.add((name, coords.version))
        props = [("java.evidence", evidence)]
        if where:
            props.append(("java.archive", where))
        self.packages.append(
            Package(
                name=name,
                version=coords.version,
                ecosystem="maven",
                purl=make_purl("maven", coords.artifact, coords.version, namespace=coords.group),
                analyzer=ANALYZER_ID,
                path=self.path,
                properties=tuple(props),
            )
        )

    def _note(self, where: str, problem: str) -> None:
        self.notes.append(f"{self.path}: {where + ': ' if where else ''}{problem}")

    def _note_once(self, limit: str, where: str, problem: str) -> None:
        if limit not in self.limits_hit:
            self.limits_hit.add(limit)
            self._note(where, problem)


def _clean(name: str) -> str:
    """A member name safe to show on one line (control characters replaced, length capped)."""
    text = "".join(c if c.isprintable() else "?" for c in name[:300])
    return text + "..." if len(name) > 300 else text


def parse_properties(text: str) -> dict[str, str]:
    """The ``key=value`` (or ``key: value``) pairs of a Java properties file, comments skipped."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        match = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)
        if match:
            out.setdefault(match.group(1), match.group(2).strip())
    return out


def pom_coordinates(props: dict[str, str]) -> Coordinates | None:
    """Coordinates from pom.properties, or None when one is missing or malformed."""
    group, artifact, version = (
        props.get("groupId", ""),
        props.get("artifactId", ""),
        props.get("version", ""),
    )
    if _COORD.match(group) and _COORD.match(artifact) and _VERSION.match(version):
        return Coordinates(group, artifact, version)
    return None


def parse_manifest(text: str) -> dict[str, str]:
    """The main section of a JAR manifest, keys lower-cased (continuation lines joined)."""
    attrs: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if not line:
            break  # the main section ends at the first blank line
        if line.startswith(" ") and key:
            attrs[key] += line[1:]
            continue
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            attrs[key] = value.strip()
    return attrs


def manifest_coordinates(attrs: dict[str, str]) -> Coordinates | None:
    """Best coordinates a manifest offers (see the module docstring), or None."""
    version = next(
        (
            attrs[k]
            for k in ("implementation-version", "bundle-version", "specification-version")
            if attrs.get(k)
        ),
        "",
    )
    if not _VERSION.match(version):
        return None
    vendor = attrs.get("implementation-vendor-id", "")
    title = attrs.get("implementation-title", "")
    symbolic = attrs.get("bundle-symbolicname", "").split(";")[0].strip()
    if _COORD.match(vendor) and _COORD.match(title):
        return Coordinates(vendor, title, version)
    if _COORD.match(symbolic) and "." in symbolic.strip("."):
        group, _, artifact = symbolic.strip(".").rpartition(".")
        return Coordinates(group, artifact, version)
    for bare in (title, symbolic):
        if _COORD.match(bare):
            return Coordinates(None, bare, version)
    return None
