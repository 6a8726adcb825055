"""pnpm lock files (``pnpm-lock.yaml``), lock format versions 5, 6 and 9.

The ``packages`` map lists every locked package; its key shape changed over time:
``/name/1.0.0_peer@2.0.0`` (v5), ``/name@1.0.0(peer@2.0.0)`` (v6) and ``name@1.0.0`` (v9, with
the peer variants moved to ``snapshots``). An entry's own ``name``/``version`` fields (git and
tarball dependencies) win over the key. Development-only packages are left out: v5 and v6
mark them ``dev: true``; v9 does not, so packages reachable from the importers'
``devDependencies`` but not from their ``dependencies``/``optionalDependencies`` (through
``snapshots``) are treated as development-only. Local ``link:``/``file:`` packages are left
out. The YAML is read without aliases, with depth and size caps; pnpm 9+ may put an
environment document before the lock itself, so the last document is the one read.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

from collections.abc import Mapping

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_yaml
from seawall.inventory.analyzers._lang import Collector, as_dict, basename, in_docs, under
from seawall.inventory.analyzers._npm import add_npm, split_at_version

ID = "pnpm-lock"
MAX_BYTES = 32 * 1024 * 1024
_LOCAL = ("link:", "file:")
_PROD = ("dependencies", "optionalDependencies")


def _required(path: str) -> bool:
    return (
        basename(path) == "pnpm-lock.yaml" and not under(path, "node_modules") and not in_docs(path)
    )


def _major(doc: Mapping[str, object], path: str) -> int:
    raw = doc.get("lockfileVersion")
    try:
        return int(str(raw).split(".", 1)[0])
    except ValueError:
        raise AnalyzerError(f"{path}: unknown pnpm lockfileVersion {str(raw)[:20]!r}") from None


def name_version(key: str, major: int) -> tuple[str, str] | None:
    """(name, version) from a ``packages`` key of the given lock format."""
    key = key.removeprefix("/").split("(", 1)[0]
    if major < 6:
        name, sep, version = key.rpartition("/")
        return (name, version.split("_", 1)[0]) if sep and name else None
    return split_at_version(key)


def _snapshot_key(name: str, ref: object) -> str | None:
    """The v9 snapshot key an importer or snapshot dependency ``name: ref`` points at."""
    if isinstance(ref, dict):  # importers: {specifier: ..., version: ...}
        ref = ref.get("version")
    if not isinstance(ref, str) or ref.startswith(_LOCAL):
        return None
    # An alias refers to another package: "other-name@1.0.0(peer@2.0.0)".
    return ref if "@" in ref.split("(", 1)[0][1:] else f"{name}@{ref}"


def _reach(doc: Mapping[str, object], groups: tuple[str, ...]) -> set[str]:
    """Package keys (peer suffixes dropped) reachable from the importers' ``groups``."""
    snapshots = as_dict(doc.get("snapshots"))
    todo: list[str] = []
    for importer in as_dict(doc.get("importers")).values():
        for group in groups:
            for name, ref in as_dict(as_dict(importer).get(group)).items():
                key = _snapshot_key(name, ref)
                if key is not None:
                    todo.append(key)
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        snapshot = as_dict(snapshots.get(key))
        for group in _PROD:
            for name, ref in as_dict(snapshot.get(group)).items():
                dep = _snapshot_key(name, ref)
                if dep is not None and dep not in seen:
                    todo.append(dep)
    return {key.split("(", 1)[0] for key in seen}


def _packages(out: Collector, doc: Mapping[str, object], major: int) -> None:
    dev_only: set[str] = set()
    if major >= 9:
        dev_only = _reach(doc, ("devDependencies",)) - _reach(doc, _PROD)
    for key, value in as_dict(doc.get("packages")).items():
        entry = as_dict(value)
        if entry.get("dev") == "true" or key in dev_only:
            continue
        parsed = name_version(key, major)
        name = entry.get("name") or (parsed[0] if parsed else None)
        version = entry.get("version") or (parsed[1] if parsed else None)
        if isinstance(version, str) and version.startswith(_LOCAL):
            continue
        add_npm(out, name, version)


@analyzer(
    id=ID,
    version=1,
    description="pnpm pnpm-lock.yaml files (lock formats 5, 6 and 9)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The non-development packages a pnpm lock file pins."""
    out = Collector(ID, file, "npm")
    docs = [doc for doc in load_yaml(file, file.read(MAX_BYTES)) if isinstance(doc, dict)]
    if not docs:
        raise AnalyzerError(f"{file.path}: not a pnpm lock file (no YAML mapping)")
    doc = docs[-1]
    _packages(out, doc, _major(doc, file.path))
    return out.found()
