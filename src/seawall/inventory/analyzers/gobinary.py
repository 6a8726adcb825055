"""Go executables: the main module, every dependency and the Go toolchain, from the build info.

Go (1.13+) embeds its version and, for module builds, the module info in every executable
(``_gobuildinfo.py`` reads it from ELF; Linux images hold ELF only, so PE and Mach-O are left
out). ``required`` is a location heuristic (``_binpaths.py``: path only, cheap); ``analyze``
skips files without an execute bit before opening them and non-ELF files after four bytes.

What is reported (all ecosystem ``golang``, purl ``pkg:golang/<path>@<version>`` with the module
path's leading segments as namespace, lower-cased as the purl spec asks; ``name`` keeps the exact
module path, which is case-sensitive in Go):

- the main module (``mod`` line). Go stamps ``(devel)`` when it knows no version (plain
  ``go build`` before Go 1.24): that is reported as an empty version, like Trivy, unless
  ``-ldflags -X ...version=<semver>`` names exactly one semantic version (reported with Go's
  ``v`` prefix, ``go.version-source=ldflags``);
- each dependency (``dep``). A replacement by another module (``=> path version``) is
  reported as that module (the code really built in), with ``go.replaces`` naming the
  original; a replacement by a local directory (``=> ../dir``, version empty or ``(devel)``)
  keeps the original path and version (the closest public identity, so advisories still
  match) and says ``go.replaced-by``. A ``(devel)`` dependency version (workspace builds)
  is reported as empty;
- the standard library as package ``stdlib`` with the toolchain's version (``go1.19.8`` ->
  ``v1.19.8``, as Trivy and the Go vulnerability database name it), since its vulnerabilities
  ship inside the binary. Development toolchains (``devel ...``) get no ``stdlib`` package.

Every package carries ``go.toolchain``; the main module also the main package path and the
build settings that identify the build (never ``-ldflags``, which may hold secrets).
"""

from __future__ import annotations

import re
import shlex

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._binpaths import executable_candidate, read_executable
from seawall.inventory.analyzers._gobuildinfo import (
    BuildInfo,
    ModInfo,
    Module,
    parse_modinfo,
    read_buildinfo,
)
from seawall.inventory.purl import make_purl
from seawall.model.inventory import Package

ANALYZER_ID = "gobinary"
#: Binaries are read by seeking, never whole, so large ones are fine.
MAX_BINARY = 512 * 1024 * 1024

_DEVEL = "(devel)"
_GO_VERSION = re.compile(r"^go(\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?)(?:\s|$)")
_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_LDFLAGS_PREFIXES = frozenset({"main", "common", "version", "cmd"})
_KEPT_SETTINGS = (
    "-buildmode",
    "-compiler",
    "-tags",
    "-trimpath",
    "CGO_ENABLED",
    "GOARCH",
    "GOOS",
    "GOEXPERIMENT",
    "vcs",
    "vcs.revision",
    "vcs.time",
    "vcs.modified",
)

Props = tuple[tuple[str, str], ...]


@analyzer(
    id=ANALYZER_ID,
    version=1,
    description="Go executables: main module, dependencies and Go toolchain from the embedded build info",
    required=executable_candidate,
    max_bytes=MAX_BINARY,
)
def analyze(file: FileInput) -> Found:
    """Report the modules built into one Go executable (nothing for other files)."""
    info = read_executable(file, read_buildinfo)
    if info is None:
        return Found()
    return Found(packages=packages_from(info, file.path))


def packages_from(info: BuildInfo, path: str) -> tuple[Package, ...]:
    """The packages one build info describes (main module, stdlib, dependencies), deduplicated."""
    mods = parse_modinfo(info.modinfo)
    toolchain = ("go.toolchain", info.go_version)
    out: list[Package] = []
    if mods.main is not None:
        out.append(_main_package(mods.main, mods, path, toolchain))
    std = stdlib_version(info.go_version)
    if std:
        out.append(_package("stdlib", std, path, (toolchain,)))
    for dep in mods.deps:
        props: list[tuple[str, str]] = [toolchain]
        name, version = dep.path, dep.version
        if dep.replace is not None and not _is_local(dep.replace):
            props.append(("go.replaces", f"{dep.path}@{dep.version}"))
            name, version = dep.replace.path, dep.replace.version
        elif dep.replace is not None:
            props.append(("go.replaced-by", dep.replace.path))
        out.append(_package(name, "" if version == _DEVEL else version, path, tuple(props)))
    seen: set[tuple[str, str]] = set()
    unique = []
    for pkg in out:
        if (pkg.name, pkg.version) not in seen:
            seen.add((pkg.name, pkg.version))
            unique.append(pkg)
    return tuple(unique)


def _is_local(mod: Module) -> bool:
    """Whether a replacement is a directory (``./x``, ``../x``, ``/x``; go.mod's rule), not a module."""
    return mod.path.startswith(("./", "../", "/")) or mod.version in ("", _DEVEL)


def _main_package(main: Module, mods: ModInfo, path: str, toolchain: tuple[str, str]) -> Package:
    version = "" if main.version == _DEVEL else main.version
    props: list[tuple[str, str]] = [toolchain, ("go.main", "true")]
    if mods.path:
        props.append(("go.package", mods.path))
    if not version or version.startswith("v0.0.0-"):
        stamped = ldflags_version(mods.settings, main.path)
        if stamped:
            version = stamped if stamped.startswith("v") else "v" + stamped  # Go's spelling
            props.append(("go.version-source", "ldflags"))
    settings = dict(mods.settings)
    props += [(f"go.build.{key}", settings[key]) for key in _KEPT_SETTINGS if key in settings]
    return _package(main.path, version, path, tuple(props))


def _package(name: str, version: str, path: str, props: Props) -> Package:
    namespace, _, last = name.lower().rpartition("/")
    return Package(
        name=name,
        version=version,
        ecosystem="golang",
        purl=make_purl("golang", last, version or None, namespace=namespace or None),
        analyzer=ANALYZER_ID,
        path=path,
        properties=props,
    )


def stdlib_version(go_version: str) -> str:
    """``go1.22.3 X:boringcrypto`` -> ``v1.22.3``; empty for development toolchains."""
    match = _GO_VERSION.match(go_version)
    return f"v{match.group(1)}" if match else ""


def ldflags_version(settings: Props, module_path: str) -> str:
    """The one semantic version set with ``-X <pkg>.version=...`` in ``-ldflags``, if any.

    Candidates are ranked: variables of the module's own ``cmd/`` packages, then variables of
    packages named ``main``/``common``/``version``/``cmd``, then any other; the first rank that
    has candidates wins only if they agree on one version.
    """
    flags = dict(settings).get("-ldflags", "")
    try:
        words = shlex.split(flags)
    except ValueError:
        return ""
    ranks: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    for assignment in _x_assignments(words):
        key, sep, value = assignment.partition("=")
        key, value = key.strip("'\""), value.strip("'\"")
        if not sep or not key.lower().endswith((".version", ".ver")) or not _SEMVER.match(value):
            continue
        prefix = key.rpartition("/")[2].partition(".")[0].lower()
        rank = (
            0 if key.startswith(module_path + "/cmd/") else 1 if prefix in _LDFLAGS_PREFIXES else 2
        )
        ranks[rank].add(value)
    for found in ranks:
        if found:
            return found.pop() if len(found) == 1 else ""
    return ""


def _x_assignments(words: list[str]) -> list[str]:
    """The ``name=value`` arguments of every ``-X`` flag (``-X a=b``, ``-X=a=b``, ``--X ...``)."""
    out = []
    for i, word in enumerate(words):
        if word in ("-X", "--X") and i + 1 < len(words):
            out.append(words[i + 1])
        elif word.startswith(("-X=", "--X=")):
            out.append(word.partition("=")[2])
    return out
