"""Yarn lock files (``yarn.lock``): the classic v1 format and Yarn 2+ ("berry") YAML.

v1 (classic): blocks whose unindented header lists the descriptors they satisfy
(``"@babel/core@^7.0.0", "@babel/core@^7.1.0":``), followed by indented fields, of which
``version`` is read. Berry: YAML with a ``__metadata`` entry; each entry has a
``resolution`` (``name@npm:1.2.3``) giving the real name and a ``version``. In both, entries
resolved through the local protocols (``workspace:``, ``link:``, ``portal:``, ``file:``,
``exec:``, ``patch:`` — the patched package is listed separately) are left out. yarn.lock
records no development flag, so every locked package is reported. Lock files inside
``node_modules`` are not read.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

from collections.abc import Iterator

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_yaml
from seawall.inventory.analyzers._lang import (
    Collector,
    as_dict,
    basename,
    decode,
    in_docs,
    iter_lines,
    under,
)
from seawall.inventory.analyzers._npm import add_npm, split_at_version

ID = "yarn-lock"
MAX_BYTES = 32 * 1024 * 1024
_LOCAL = ("workspace:", "link:", "portal:", "file:", "exec:", "patch:")


def _required(path: str) -> bool:
    return basename(path) == "yarn.lock" and not under(path, "node_modules") and not in_docs(path)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _descriptor_name(descriptor: str) -> tuple[str, str] | None:
    """(name, range) of a v1 descriptor; an ``npm:`` alias gives the real name."""
    split = split_at_version(_unquote(descriptor))
    if split is None:
        return None
    name, spec = split
    if spec.startswith("npm:"):
        real = split_at_version(spec[4:])
        if real is not None:
            return real
        return spec[4:], ""
    return name, spec


def _v1_blocks(text: str, path: str) -> Iterator[tuple[str, str | None]]:
    """(header, version) of each v1 block, one at a time."""
    header: str | None = None
    version: str | None = None
    for line in iter_lines(text, path):
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace():
            if header is not None:
                yield header, version
            header, version = line.rstrip().removesuffix(":"), None
        elif header is not None and line.startswith("  ") and not line.startswith("   "):
            key, _, value = line.strip().partition(" ")
            if key in ("version", "version:"):
                version = _unquote(value)
    if header is not None:
        yield header, version


def _v1(out: Collector, text: str) -> None:
    for header, version in _v1_blocks(text, out.file.path):
        parsed = _descriptor_name(header.split(",", 1)[0])
        if parsed is None or version is None:
            out.note(f"block {header[:60]!r} has no name or version; skipped")
            continue
        name, spec = parsed
        if not spec.startswith(_LOCAL):
            add_npm(out, name, version)


def _berry(out: Collector, doc: object) -> None:
    for key, value in as_dict(doc).items():
        if key == "__metadata":
            continue
        entry = as_dict(value)
        resolution = entry.get("resolution")
        split = split_at_version(resolution) if isinstance(resolution, str) else None
        if split is None:
            out.note(f"entry {key[:60]!r} has no resolution; skipped")
            continue
        name, reference = split
        if not reference.startswith(_LOCAL):
            add_npm(out, name, entry.get("version"))


@analyzer(
    id=ID,
    version=1,
    description="Yarn yarn.lock files (classic v1 and Yarn 2+ YAML)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The packages a yarn.lock pins."""
    out = Collector(ID, file, "npm")
    data = file.read(MAX_BYTES)
    text = decode(file, data)
    if "\n__metadata:" in "\n" + text[:4096]:
        docs = load_yaml(file, text)
        if len(docs) != 1 or not isinstance(docs[0], dict):
            raise AnalyzerError(f"{file.path}: Yarn 2+ lock file is not one YAML mapping")
        _berry(out, docs[0])
    else:
        _v1(out, text)
    return out.found()
