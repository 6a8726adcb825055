"""Merge per-layer results into the final filesystem's packages, with layer attribution.

Pure. Layers apply in order: a layer's whiteouts and opaque directories delete what lower
layers had (OCI image-spec layer.md), then its files replace earlier versions at the same path.
A package's layer is the first layer from which it is continuously present at its final
version: a file rewritten by a later layer keeps the earlier layer for every package (same
name, version, ecosystem, path) the new version still lists.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from seawall.inventory.analyzers.os_release import PRIORITY
from seawall.inventory.layerscan import FileResult, LayerResult
from seawall.model.inventory import LayerRef, OSInfo, Package


@dataclass(frozen=True, slots=True)
class Merged:
    """The final packages (with layers), the OS, and notes gathered on the way."""

    packages: tuple[Package, ...]
    os: OSInfo | None
    notes: tuple[str, ...]


def _under(path: str, directory: str) -> bool:
    d = directory.rstrip("/") + "/"
    return path.startswith(d) if directory not in ("", "/") else True


def _delete(state: dict[str, Any], target: str, *, contents_only: bool) -> None:
    for p in [p for p in state if _under(p, target) or (not contents_only and p == target)]:
        del state[p]


def merge_layers(results: Sequence[LayerResult], layers: Sequence[LayerRef]) -> Merged:
    """Apply layers bottom-up and attribute every surviving package to its layer."""
    files: dict[str, tuple[FileResult, ...]] = {}
    since: dict[tuple[str, tuple[str, str, str, str, str]], int] = {}
    links: dict[str, str] = {}
    notes: list[str] = []
    for index, res in enumerate(results):
        for d in res.opaque:
            _delete(files, d, contents_only=True)
            _delete(links, d, contents_only=True)
        for w in res.whiteouts:
            _delete(files, w, contents_only=False)
            _delete(links, w, contents_only=False)
        for path, found in res.found.items():
            previous = {p.key for fr in files.get(path, ()) for p in fr.packages}
            for fr in found:
                for p in fr.packages:
                    if p.key not in previous or (path, p.key) not in since:
                        since[(path, p.key)] = index
            files[path] = found
            links.pop(path, None)
        for path, target in res.symlinks.items():
            links[path] = target
            files.pop(path, None)
        notes.extend(res.notes)
    packages = []
    for path in sorted(files):
        for fr in files[path]:
            for p in fr.packages:
                idx = since.get((path, p.key), 0)
                packages.append(replace(p, layer=layers[idx] if idx < len(layers) else None))
    return Merged(tuple(packages), _final_os(files, links), tuple(notes))


def _resolve(path: str, links: dict[str, str], limit: int = 16) -> str:
    """Follow symlinks of known paths inside the image root only (never the host's)."""
    for _ in range(limit):
        target = links.get(path)
        if target is None:
            return path
        base = "/" if target.startswith("/") else posixpath.dirname(path)
        path = posixpath.normpath(posixpath.join(base, target))
        if not path.startswith("/"):
            path = "/" + path
    return path


def _final_os(files: dict[str, tuple[FileResult, ...]], links: dict[str, str]) -> OSInfo | None:
    for candidate in PRIORITY:
        real = _resolve(candidate, links)
        for fr in files.get(real, ()):
            if fr.os is not None:
                return fr.os
    return None
