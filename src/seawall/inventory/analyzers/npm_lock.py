"""npm lock files: ``package-lock.json`` and ``npm-shrinkwrap.json``.

Lock format (docs.npmjs.com, "package-lock.json"): version 2 and 3 list every installed
package under ``packages``, keyed by its path (``node_modules/a/node_modules/b``; ``""`` is the
project itself); version 1 nests them under ``dependencies`` (walked iteratively, depth
capped). Left out: the project and workspace members (keys outside ``node_modules``),
``link`` entries, local ``file:``/``link:`` versions and ``dev`` (development-only) packages.
An aliased package (``"name"`` in a v2 entry, ``npm:real@1.0.0`` in v1) is reported under its
real name. Lock files inside ``node_modules`` (shipped by some packages) are not read.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

from collections.abc import Mapping

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json
from seawall.inventory.analyzers._lang import Collector, as_dict, basename, in_docs, under
from seawall.inventory.analyzers._npm import add_npm, licenses_of, split_at_version

ID = "npm-lock"
MAX_BYTES = 64 * 1024 * 1024
#: Nesting of v1 ``dependencies`` followed (npm's real trees are a few dozen deep).
MAX_V1_DEPTH = 128
_NAMES = frozenset({"package-lock.json", "npm-shrinkwrap.json"})
_LOCAL = ("file:", "link:")


def _required(path: str) -> bool:
    return basename(path) in _NAMES and not under(path, "node_modules") and not in_docs(path)


def _packages(out: Collector, packages: Mapping[str, object]) -> None:
    for key, value in packages.items():
        entry = as_dict(value)
        _, sep, dir_name = key.rpartition("node_modules/")
        if not sep or entry.get("link") is True or entry.get("dev") is True:
            continue
        version = entry.get("version")
        if isinstance(version, str) and version.startswith(_LOCAL):
            continue
        add_npm(out, entry.get("name") or dir_name, version, licenses_of(entry))


def _dependencies(out: Collector, dependencies: Mapping[str, object]) -> None:
    stack: list[tuple[Mapping[str, object], int]] = [(dependencies, 1)]
    while stack:
        level, depth = stack.pop()
        if depth > MAX_V1_DEPTH:
            raise AnalyzerError(f"{out.file.path}: dependencies nested deeper than {MAX_V1_DEPTH}")
        for name, value in level.items():
            entry = as_dict(value)
            nested = as_dict(entry.get("dependencies"))
            if nested:
                stack.append((nested, depth + 1))
            version = entry.get("version")
            if entry.get("dev") is True or not isinstance(version, str):
                continue
            if version.startswith(_LOCAL):
                continue
            if version.startswith("npm:"):  # alias: "npm:real-name@1.2.3"
                real = split_at_version(version[4:])
                name, version = real if real else (name, version)
            add_npm(out, name, version)


@analyzer(
    id=ID,
    version=1,
    description="npm package-lock.json and npm-shrinkwrap.json (lock versions 1, 2 and 3)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The non-development packages a lock file pins."""
    out = Collector(ID, file, "npm")
    doc = load_json(file, file.read(MAX_BYTES))
    if not isinstance(doc, dict):
        raise AnalyzerError(f"{file.path}: not a JSON object")
    packages = as_dict(doc.get("packages"))
    if packages:
        _packages(out, packages)
    else:
        _dependencies(out, as_dict(doc.get("dependencies")))
    return out.found()
