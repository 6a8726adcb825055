"""Analyze one walked layer: run every analyzer on the files it wants. Pure apart from reading
the spooled files the walker produced (while it walks, or once it is done).

The result is what the cache stores per verified layer digest and analyzer catalogue.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from seawall.image.walk import LayerWalk, SpooledFile
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


class LayerAnalysis:
    """Runs the analyzers on one layer's files: while the walk waits, or at the end.

    ``file_kept`` (the walk's ``on_file``) queues each file as it is spooled; ``step`` (the
    walk's ``on_idle``) analyzes one queued file whenever the walk would otherwise wait for
    its hashing thread, so analysis fills that time instead of following the walk. Only the
    first version of each path is analyzed early: when a later entry replaces it, the final
    version is analyzed by ``result`` instead, so a layer of many duplicates costs at most
    one extra analysis per path. Nothing found early counts unless the walk succeeded
    (``result`` is only called with a verified walk) and the file it was found in is still
    the final one.
    """

    def __init__(self, analyzers: AnalyzerRegistry) -> None:
        self._analyzers = analyzers
        self._queued: deque[SpooledFile] = deque()
        self._early: dict[str, tuple[SpooledFile, _Outcome | None] | None] = {}

    def file_kept(self, spooled: SpooledFile) -> None:
        """Queue a file the walk has just spooled (the first version of a path only)."""
        if spooled.path in self._early:
            self._early[spooled.path] = None  # replaced within the layer: analyzed at the end
            return
        self._early[spooled.path] = (spooled, None)
        self._queued.append(spooled)

    def step(self) -> bool:
        """Analyze one queued file; False when none is left."""
        while self._queued:
            spooled = self._queued.popleft()
            early = self._early.get(spooled.path)
            if early is not None and early[0] is spooled:
                self._early[spooled.path] = (spooled, _analyze_file(spooled, self._analyzers))
                return True
        return False

    def result(self, walk: LayerWalk) -> LayerResult:
        """The layer's result: every kept file's findings, in path order."""
        found: dict[str, tuple[FileResult, ...]] = {}
        notes = list(walk.notes)
        for path in sorted(walk.files):
            spooled = walk.files[path]
            early = self._early.get(path)
            outcome = early[1] if early is not None and early[0] is spooled else None
            results, file_notes = outcome or _analyze_file(spooled, self._analyzers)
            notes.extend(file_notes)
            if results:
                found[path] = results
        return LayerResult(
            diff_id=walk.diff_id,
            found=found,
            symlinks=dict(walk.symlinks),
            whiteouts=tuple(sorted(walk.whiteouts)),
            opaque=tuple(sorted(walk.opaque)),
            notes=tuple(notes),
        )


#: One file's findings and notes.
_Outcome = tuple[tuple[FileResult, ...], tuple[str, ...]]


def _analyze_file(spooled: SpooledFile, analyzers: AnalyzerRegistry) -> _Outcome:
    """Every wanting analyzer on one file; damaged files and analyzer failures become notes."""
    path = spooled.path
    # One FileInput per file, shared by every analyzer that wants it (so an analyzer helper
    # may memoize work on it, e.g. ELF headers read by several analyzers).
    fi = FileInput(path=path, size=spooled.size, mode=spooled.mode, opener=spooled.opener)
    results: list[FileResult] = []
    notes: list[str] = []
    for a in analyzers:
        if not a.required(path):
            continue
        if spooled.size > a.max_bytes:
            notes.append(
                f"{path}: {spooled.size} bytes is over the {a.max_bytes}-byte limit of {a.id}; skipped"
            )
            continue
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
    return tuple(results), tuple(notes)


def analyze_walk(walk: LayerWalk, analyzers: AnalyzerRegistry) -> LayerResult:
    """Run the analyzers that want each spooled file; damaged files become notes."""
    return LayerAnalysis(analyzers).result(walk)
