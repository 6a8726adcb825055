"""Python requirement and lock files found in the image (pip, Pipenv, Poetry, uv).

- ``requirements*.txt`` (pip's requirements file format): only exactly pinned requirements
  (``name==1.2`` or ``name===1.2``) name a version; unpinned lines, URLs, editables and
  options are ignored. Comments, ``\\`` continuations, extras, environment markers and
  per-requirement options (``--hash``) are handled; ``-r``/``-c`` includes are not followed
  (the analyzer sees one file), which is noted.
- ``Pipfile.lock`` (JSON): the ``default`` section; ``develop`` holds development-only
  dependencies and is left out, as are entries without a ``==`` version (git, paths).
- ``poetry.lock`` (TOML ``[[package]]``): every package except ``category = "dev"`` ones
  (lock format 1.x; newer locks have no category and are reported whole).
- ``uv.lock`` (TOML ``[[package]]``): every package except the project and workspace members
  themselves (``source = { editable | virtual = ... }``) and the packages reachable only from
  their ``dev-dependencies`` (the dependency graph is walked from the projects).

Files below ``site-packages``/``dist-packages`` are not read: there they are data shipped
inside some distribution (test fixtures, examples), not what the image installed.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json, load_toml
from seawall.inventory.analyzers._lang import (
    Collector,
    as_dict,
    as_list,
    basename,
    clean,
    decode,
    in_docs,
    iter_lines,
    under,
)
from seawall.inventory.analyzers.python_pkg import pep503
from seawall.inventory.purl import make_purl

ID = "python-lock"
#: Largest file read; lock files of big projects are a few megabytes.
MAX_BYTES = 16 * 1024 * 1024
_LOCKS = frozenset({"Pipfile.lock", "poetry.lock", "uv.lock"})

# A comment starts at a "#" at the start of a line or after whitespace (pip's rule).
_COMMENT = re.compile(r"(^|\s)#.*$")
# Per-requirement options (" --hash=...") end the requirement part of a line.
_OPTION = re.compile(r"\s-{1,2}[A-Za-z]")
# No two adjacent ``\s*`` (they would backtrack quadratically over a long run of spaces).
_PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[[^\]]*\]\s*)?"
    r"===?\s*(?P<version>[^\s,;*$]+)\s*$"
)


def _required(path: str) -> bool:
    name = basename(path)
    wanted = name in _LOCKS or (name.startswith("requirements") and name.endswith(".txt"))
    return (
        wanted
        and not under(path, "site-packages", "dist-packages", "node_modules")
        and not in_docs(path)
    )


def _add(out: Collector, name: object, version: object) -> None:
    clean_name, clean_version = clean(name), clean(version)
    if clean_name is None or clean_version is None:
        out.note(f"entry without a usable name and version ({str(name)[:60]!r}); skipped")
        return
    out.add(clean_name, clean_version, make_purl("pypi", pep503(clean_name), clean_version))


def logical_lines(text: str, path: str = "requirements") -> list[str]:
    """Requirement-file lines with comments removed and ``\\`` continuations joined."""
    lines: list[str] = []
    pending = ""
    for raw in iter_lines(text, path):
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append((pending + line).strip())
        pending = ""
    if pending.strip():
        lines.append(pending.strip())
    return [line for line in lines if line]


def parse_requirement(line: str) -> tuple[str, str] | None:
    """``(name, version)`` of an exactly pinned requirement line, else None."""
    spec = _OPTION.split(" " + line, maxsplit=1)[0].split(";", 1)[0].strip()
    match = _PINNED.match(spec)
    if match is None:
        return None
    return match["name"], match["version"]


def _requirements(out: Collector, text: str) -> None:
    for line in logical_lines(text, out.file.path):
        if line.startswith("-"):
            option = line.split()[0].split("=", 1)[0]
            if option in ("-r", "--requirement", "-c", "--constraint"):
                out.note(f"{line[:120]!r}: included files are not followed")
            continue
        pinned = parse_requirement(line)
        if pinned is not None:
            _add(out, *pinned)


def _pipfile_lock(out: Collector, doc: object) -> None:
    for name, entry in as_dict(as_dict(doc).get("default")).items():
        version = as_dict(entry).get("version")
        if isinstance(version, str) and version.startswith("=="):
            _add(out, name, version[2:])


def _poetry_lock(out: Collector, doc: dict[str, object]) -> None:
    for item in as_list(doc.get("package")):
        entry = as_dict(item)
        if entry.get("category") != "dev":
            _add(out, entry.get("name"), entry.get("version"))


def _uv_refs(entry: Mapping[str, object], group: str) -> list[tuple[str, str | None]]:
    """(name, version or None) of one dependency list of a uv.lock package."""
    lists = (
        [entry.get(group)] if group == "dependencies" else list(as_dict(entry.get(group)).values())
    )
    refs: list[tuple[str, str | None]] = []
    for deps in lists:
        for dep in as_list(deps):
            name, version = as_dict(dep).get("name"), as_dict(dep).get("version")
            if isinstance(name, str):
                refs.append((pep503(name), version if isinstance(version, str) else None))
    return refs


def _uv_reach(
    packages: list[Mapping[str, object]], groups: tuple[str, ...]
) -> set[tuple[str, str]]:
    """(normalised name, version) reachable from the project packages' ``groups``."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    entries: dict[tuple[str, str], Mapping[str, object]] = {}
    roots: list[tuple[str, str | None]] = []
    for entry in packages:
        name, version = entry.get("name"), entry.get("version")
        if isinstance(name, str):
            key = (pep503(name), version if isinstance(version, str) else "")
            by_name.setdefault(key[0], []).append(key)
            entries[key] = entry
            if _uv_is_project(entry):
                roots += [ref for group in groups for ref in _uv_refs(entry, group)]
    seen: set[tuple[str, str]] = set()
    while roots:
        name, version = roots.pop()
        for key in by_name.get(name, []):
            if key not in seen and version in (None, key[1]):
                seen.add(key)
                roots += _uv_refs(entries[key], "dependencies")
                roots += _uv_refs(entries[key], "optional-dependencies")
    return seen


def _uv_is_project(entry: Mapping[str, object]) -> bool:
    source = as_dict(entry.get("source"))
    return "editable" in source or "virtual" in source


def _uv_lock(out: Collector, doc: dict[str, object]) -> None:
    packages = [as_dict(item) for item in as_list(doc.get("package"))]
    prod = _uv_reach(packages, ("dependencies", "optional-dependencies"))
    dev_only = _uv_reach(packages, ("dev-dependencies",)) - prod
    for entry in packages:
        name, version = entry.get("name"), entry.get("version")
        if _uv_is_project(entry):
            continue
        if (
            isinstance(name, str)
            and (pep503(name), version if isinstance(version, str) else "") in dev_only
        ):
            continue
        _add(out, name, version)


@analyzer(
    id=ID,
    version=1,
    description="Python requirements*.txt (pinned), Pipfile.lock, poetry.lock and uv.lock files",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The packages one requirement or lock file pins."""
    out = Collector(ID, file, "pypi")
    data = file.read(MAX_BYTES)
    name = basename(file.path)
    if name == "Pipfile.lock":
        _pipfile_lock(out, load_json(file, data))
    elif name == "poetry.lock":
        _poetry_lock(out, load_toml(file, data))
    elif name == "uv.lock":
        _uv_lock(out, load_toml(file, data))
    else:
        _requirements(out, decode(file, data))
    return out.found()
