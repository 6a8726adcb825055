"""Setuid/setgid files of an image, from a streamed ``docker save`` export.

The export is read as a stream (``tarfile`` ``r|``): nothing is extracted to disk and only
one path name plus a flag per file is kept in memory. Layers are applied in manifest order with
whiteouts (OCI image-spec layer.md: ``.wh.NAME`` deletes NAME, ``.wh..wh..opq`` empties the
directory), so a file removed or re-added without the bit in a later layer is not reported.
"""

from __future__ import annotations

import json
import posixpath
import tarfile
from typing import IO

SPECIAL = 0o6000
_MAX_MANIFEST = 4 * 1024 * 1024


def _norm(name: str) -> str:
    path = posixpath.normpath("/" + name.lstrip("./").lstrip("/"))
    return path


def _scan_layer(fileobj: IO[bytes]) -> tuple[dict[str, bool], set[str], set[str]]:
    """(path -> has special bit, deleted paths, opaque dirs) for one layer tar."""
    entries: dict[str, bool] = {}
    deleted: set[str] = set()
    opaque: set[str] = set()
    with tarfile.open(fileobj=fileobj, mode="r|*") as layer:
        for m in layer:
            path = _norm(m.name)
            base = posixpath.basename(path)
            if base == ".wh..wh..opq":
                opaque.add(posixpath.dirname(path))
            elif base.startswith(".wh."):
                deleted.add(posixpath.join(posixpath.dirname(path), base[4:]))
            else:
                entries[path] = bool(m.isreg() and m.mode & SPECIAL)
    return entries, deleted, opaque


def setuid_files(stream: IO[bytes]) -> list[str]:
    """Paths with the setuid or setgid bit in the final filesystem of a ``docker save`` stream."""
    layers: dict[str, tuple[dict[str, bool], set[str], set[str]]] = {}
    order: list[str] | None = None
    with tarfile.open(fileobj=stream, mode="r|") as outer:
        for member in outer:
            name = member.name.lstrip("./")
            if name == "manifest.json" and member.isreg():
                fh = outer.extractfile(member)
                if fh is None or member.size > _MAX_MANIFEST:
                    raise ValueError("manifest.json missing or too large")
                manifest = json.loads(fh.read())
                order = [str(x) for x in manifest[0]["Layers"]]
            elif member.isreg() and (name.endswith("layer.tar") or name.startswith("blobs/")):
                fh = outer.extractfile(member)
                if fh is None:
                    continue
                try:
                    layers[name] = _scan_layer(fh)
                except tarfile.TarError:
                    if not name.startswith("blobs/"):
                        raise  # a layer.tar that is not a tar is corrupt; a blob may be config
    if order is None:
        raise ValueError("export has no manifest.json")
    final: dict[str, bool] = {}
    for name in order:
        key = name.lstrip("./")
        if key not in layers:
            raise ValueError(f"export is missing layer {name}")
        entries, deleted, opaque = layers[key]
        for d in opaque:
            prefix = d.rstrip("/") + "/"
            for p in [p for p in final if p.startswith(prefix)]:
                del final[p]
        for d in deleted:
            prefix = d.rstrip("/") + "/"
            for p in [p for p in final if p == d or p.startswith(prefix)]:
                del final[p]
        final.update(entries)
    return sorted(p for p, special in final.items() if special)
