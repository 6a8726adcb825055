"""The ``os-release`` analyzer: which distribution an image is (``OSInfo``), from one file.

Reads ``/etc/os-release`` and ``/usr/lib/os-release`` (os-release(5): shell-compatible
``KEY=value`` lines, quoted with ``"`` or ``'``, ``\\`` escapes, ``#`` comments) and, for images
without them, the older ``/etc/alpine-release``, ``/etc/redhat-release`` and
``/etc/debian_version`` (each reported as it reads). Every file yields its own ``OSInfo``; the
pipeline picks the final one with ``choose_os`` (``/etc/os-release`` first, then
``/usr/lib/os-release``, then the fallbacks) and gives the OS packages their purl namespace
and ``distro`` qualifier with ``apply_os``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._distro import os_namespace, os_purl
from seawall.model.inventory import OSInfo, Package

#: The files this analyzer reads, best first (the order ``choose_os`` applies).
PRIORITY: tuple[str, ...] = (
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/alpine-release",
    "/etc/redhat-release",
    "/etc/debian_version",
)
_WANTED = frozenset(PRIORITY)

#: os-release files are a few hundred bytes; anything far larger is not one.
MAX_BYTES = 64 * 1024
_MAX_VALUE = 256
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NUMERIC_VERSION = re.compile(r"^[0-9]+(\.[0-9]+)*$")
# redhat-release(5)-style line: "Rocky Linux release 9.3 (Blue Onyx)".
_REDHAT = re.compile(r"^(?P<name>.+?)\s+release\s+(?P<version>\S+)(?:\s+\((?P<code>[^)]*)\))?")
_REDHAT_IDS: tuple[tuple[str, str], ...] = (
    ("red hat enterprise linux", "rhel"),
    ("centos", "centos"),
    ("rocky", "rocky"),
    ("almalinux", "almalinux"),
    ("fedora", "fedora"),
    ("oracle", "ol"),
    ("amazon", "amzn"),
)
#: Analyzers whose packages get the OS's purl namespace and distro qualifier.
_OS_ANALYZERS = frozenset({"dpkg", "apk", "rpm"})


def _required(path: str) -> bool:
    return path in _WANTED


def _text(fi: FileInput) -> str:
    """The file as text; ``AnalyzerError`` for binary or non-UTF-8 content."""
    raw = fi.read(MAX_BYTES)
    if b"\x00" in raw:
        raise AnalyzerError(f"{fi.path}: binary content (NUL byte), not a text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnalyzerError(f"{fi.path}: not UTF-8 text (byte {exc.start})") from None


def _unquote(raw: str) -> str:
    """A shell-style value: ``"..."`` (``\\`` escapes), ``'...'`` (literal) and bare words."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(raw):
        ch = raw[i]
        if quote == "'":
            if ch == "'":
                quote = ""
            else:
                out.append(ch)
        elif ch == "\\" and i + 1 < len(raw):
            i += 1
            out.append(raw[i])
        elif ch in "\"'" and (not quote or ch == quote):
            quote = "" if quote else ch
        elif not quote and ch == "#" and (not out or raw[i - 1].isspace()):
            break  # an unquoted comment ends the value
        else:
            out.append(ch)
        i += 1
    return "".join(out).strip()[:_MAX_VALUE]


def parse_os_release(text: str) -> dict[str, str]:
    """The ``KEY=value`` assignments of an os-release file (later assignments win)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        key, _, raw = stripped.partition("=")
        if _KEY.match(key):
            values[key] = _unquote(raw)
    return values


def _from_os_release(fi: FileInput) -> OSInfo:
    values = parse_os_release(_text(fi))
    if not values:
        raise AnalyzerError(f"{fi.path}: no KEY=value lines, not an os-release file")
    return OSInfo(
        # os-release(5): ID defaults to "linux"; IDs are lower-case.
        id=(values.get("ID") or "linux").lower(),
        version_id=values.get("VERSION_ID", ""),
        name=values.get("NAME", ""),
        pretty_name=values.get("PRETTY_NAME", ""),
        codename=values.get("VERSION_CODENAME") or values.get("UBUNTU_CODENAME", ""),
    )


def _first_line(fi: FileInput) -> str:
    lines = _text(fi).strip().splitlines()
    line = lines[0].strip() if lines else ""
    if not line or len(line) > _MAX_VALUE or not line.isprintable():
        raise AnalyzerError(f"{fi.path}: expected one short line of text")
    return line


def _from_debian_version(fi: FileInput) -> OSInfo:
    line = _first_line(fi)
    if _NUMERIC_VERSION.match(line):
        return OSInfo(id="debian", version_id=line, name="Debian GNU/Linux")
    # Testing and unstable say "trixie/sid": a codename, no version number.
    return OSInfo(id="debian", name="Debian GNU/Linux", codename=line.split("/")[0])


def _from_alpine_release(fi: FileInput) -> OSInfo:
    line = _first_line(fi)
    if not _NUMERIC_VERSION.match(line.split("_")[0]):
        raise AnalyzerError(f"{fi.path}: {line[:40]!r} is not an Alpine version")
    return OSInfo(id="alpine", version_id=line, name="Alpine Linux")


def _from_redhat_release(fi: FileInput) -> OSInfo:
    line = _first_line(fi)
    m = _REDHAT.match(line)
    if m is None:
        raise AnalyzerError(f"{fi.path}: {line[:40]!r} is not a '<name> release <version>' line")
    name = m.group("name")
    low = name.lower()
    os_id = next((i for needle, i in _REDHAT_IDS if needle in low), low.split()[0])
    return OSInfo(
        id=os_id,
        version_id=m.group("version"),
        name=name,
        pretty_name=line,
        codename=m.group("code") or "",
    )


@analyzer(
    id="os-release",
    version=1,
    description="Distribution identity from /etc/os-release and its older fallbacks",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(fi: FileInput) -> Found:
    """The ``OSInfo`` one of the os-release files describes."""
    if fi.path == "/etc/debian_version":
        info = _from_debian_version(fi)
    elif fi.path == "/etc/alpine-release":
        info = _from_alpine_release(fi)
    elif fi.path == "/etc/redhat-release":
        info = _from_redhat_release(fi)
    else:
        info = _from_os_release(fi)
    return Found(os=info)


def choose_os(candidates: Mapping[str, OSInfo]) -> OSInfo | None:
    """The final ``OSInfo`` among those found per path (``PRIORITY`` order), or None."""
    for path in PRIORITY:
        if path in candidates:
            return candidates[path]
    return None


def distro_qualifier(os: OSInfo) -> str:
    """The purl ``distro`` qualifier: ``<id>-<version id>`` (``debian-12``), else the codename."""
    suffix = os.version_id or os.codename
    return f"{os.id}-{suffix}" if suffix else os.id


def apply_os(packages: Iterable[Package], os: OSInfo | None) -> tuple[Package, ...]:
    """OS packages with their purl's namespace and ``distro`` set from the image's ``OSInfo``.

    Packages of other analyzers are returned unchanged, as are all of them without an OS.
    """
    if os is None:
        return tuple(packages)
    namespace, distro = os_namespace(os.id), distro_qualifier(os)
    out: list[Package] = []
    for pkg in packages:
        if pkg.analyzer in _OS_ANALYZERS:
            purl = os_purl(
                pkg.ecosystem,
                pkg.name,
                pkg.version,
                namespace=namespace,
                arch=pkg.arch,
                epoch=pkg.epoch,
                distro=distro,
            )
            pkg = replace(pkg, purl=purl)
        out.append(pkg)
    return tuple(out)
