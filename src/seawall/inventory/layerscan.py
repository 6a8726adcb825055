"""Analyze one walked layer: run every analyzer on the files it wants. Pure apart from reading
the spooled files the walker produced.

The result is what the cache stores per verified layer digest and analyzer catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seawall.image.walk import LayerWalk
from seawall.inventory.analyzer import AnalyzerError, AnalyzerRegistry, FileInput
from seawall.model.inventory import OSInfo, Package


@dataclass(frozen=True, slots=True)
class FileResult:
    """One analyzer's findings for one file of one layer."""

    analyzer: str
    packages: tuple[Package, ...] = ()
    os: OSInfo | None = None


@dataclass(frozen=True, slots=True)
class LayerResult:
    """What one layer contributes to the final filesystem, as far as analyzers care."""

    diff_id: str
    found: dict[str, tuple[FileResult, ...]] = field(default_factory=dict)
    symlinks: dict[str, str] = field(default_factory=dict)
    whiteouts: tuple[str, ...] = ()
    opaque: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def analyze_walk(walk: LayerWalk, analyzers: AnalyzerRegistry) -> LayerResult:
    """Run the analyzers that want each spooled file; damaged files become notes."""
    found: dict[str, tuple[FileResult, ...]] = {}
    notes = list(walk.notes)
    for path in sorted(walk.files):
        spooled = walk.files[path]
        results = []
        for a in analyzers:
            if not a.required(path):
                continue
            if spooled.size > a.max_bytes:
                notes.append(
                    f"{path}: {spooled.size} bytes is over the {a.max_bytes}-byte limit of {a.id}; skipped"
                )
                continue
            fi = FileInput(path=path, size=spooled.size, mode=spooled.mode, opener=spooled.opener)
            try:
                out = a.analyze(fi)
            except AnalyzerError as exc:
                notes.append(exc.message)
                continue
            except Exception as exc:  # a bug in one analyzer must not lose the whole inventory
                notes.append(f"{path}: analyzer {a.id} failed: {type(exc).__name__}: {exc}")
                continue
            notes.extend(out.notes)
            if out.packages or out.os is not None:
                results.append(FileResult(a.id, out.packages, out.os))
        if results:
            found[path] = tuple(results)
    return LayerResult(
        diff_id=walk.diff_id,
        found=found,
        symlinks=dict(walk.symlinks),
        whiteouts=tuple(sorted(walk.whiteouts)),
        opaque=tuple(sorted(walk.opaque)),
        notes=tuple(notes),
    )
