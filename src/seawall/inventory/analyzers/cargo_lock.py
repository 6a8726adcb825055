"""Rust lock files (``Cargo.lock``), lock format versions 1 to 4.

Every format lists ``[[package]]`` tables with ``name``, ``version`` and, for anything not
part of the workspace, a ``source`` (``registry+https://...``, ``sparse+https://...``,
``git+https://...``). Packages without a ``source`` are the workspace's own crates and path
dependencies and are left out; so are the lock files of crate sources unpacked in Cargo's
home (``.cargo/registry``, ``.cargo/git``), which belong to those crates. Versions 1 and 2 have no top-level ``version`` key; 3 and 4 do,
and the package tables are the same shape in all of them.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_toml
from seawall.inventory.analyzers._lang import (
    Collector,
    as_dict,
    as_list,
    basename,
    clean,
    in_docs,
)
from seawall.inventory.purl import make_purl

ID = "cargo-lock"
MAX_BYTES = 16 * 1024 * 1024


def _required(path: str) -> bool:
    return (
        basename(path) == "Cargo.lock"
        and "/.cargo/registry/" not in path
        and "/.cargo/git/" not in path
        and not in_docs(path)
    )


@analyzer(
    id=ID,
    version=1,
    description="Rust Cargo.lock files (crates with a registry or git source)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The crates a Cargo.lock pins, without the workspace's own."""
    out = Collector(ID, file, "cargo")
    for item in as_list(load_toml(file, file.read(MAX_BYTES)).get("package")):
        entry = as_dict(item)
        if not entry.get("source"):
            continue
        name, version = clean(entry.get("name")), clean(entry.get("version"))
        if name is None or version is None:
            out.note(
                f"package {str(entry.get('name'))[:60]!r} has no usable name or version; skipped"
            )
            continue
        out.add(name, version, make_purl("cargo", name, version))
    return out.found()
