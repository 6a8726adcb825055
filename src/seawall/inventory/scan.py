"""Scan an opened image: walk each layer once (digests verified), analyze, cache, merge.

The only I/O here is reading the image's blobs through its source and the cache; analyzers
and the merge are pure. Structural damage anywhere raises ``ImageError`` and no inventory is
produced; odd entries are notes in the inventory.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from seawall.image.layers import walk_directory, walk_layer
from seawall.image.source import LayerBlob, OpenedImage
from seawall.image.walk import WalkLimits
from seawall.inventory.analyzer import AnalyzerRegistry
from seawall.inventory.analyzers.os_release import apply_os
from seawall.inventory.cache import LayerCache, VerifiedBlob
from seawall.inventory.layerscan import LayerAnalysis, LayerResult, analyze_walk
from seawall.inventory.merge import merge_layers
from seawall.model.inventory import Inventory, LayerRef

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Where to spool, what to cache, the limits, and local images that may be the base."""

    tmpdir: str
    cache: LayerCache | None = None
    limits: WalkLimits = field(default_factory=WalkLimits)
    #: (name, diff_ids) of local images: the longest proper prefix of this image is its base.
    base_candidates: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _walk_and_analyze(
    blob: LayerBlob, analyzers: AnalyzerRegistry, opts: ScanOptions
) -> tuple[LayerResult, str]:
    work = tempfile.mkdtemp(prefix="layer-", dir=opts.tmpdir)
    try:
        if blob.directory is not None:
            walk = walk_directory(
                blob.directory, wanted=analyzers.wanted, tmpdir=work, limits=opts.limits
            )
            return analyze_walk(walk, analyzers), ""
        analysis = LayerAnalysis(analyzers)
        # Files are analyzed while the walk waits for its hashing thread, unless a result is
        # cached for the diff ID the config claims: the verified digest will then most
        # likely find it, and the analysis would be wasted.
        early = opts.cache is None or not opts.cache.has_layer(blob.ref.diff_id)
        with blob.open() as stream:
            walk = walk_layer(
                stream,
                wanted=analyzers.wanted,
                tmpdir=work,
                expected_diff_id=blob.ref.diff_id or None,
                expected_digest=blob.ref.digest or None,
                limits=opts.limits,
                on_file=analysis.file_kept if early else None,
                on_idle=analysis.step if early else None,
            )
        if opts.cache is not None:
            if blob.stat_key:
                opts.cache.remember(VerifiedBlob(blob.stat_key, walk.diff_id, walk.digest))
            cached = opts.cache.layer(walk.diff_id)
            if cached is not None:
                return cached, walk.digest
        result = analysis.result(walk)
        if opts.cache is not None:
            opts.cache.store(result)
        return result, walk.digest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def layer_result(
    blob: LayerBlob, analyzers: AnalyzerRegistry, opts: ScanOptions
) -> tuple[LayerResult, str]:
    """One layer's result and its verified blob digest, from the cache when it may be trusted."""
    if opts.cache is not None and blob.directory is None:
        known = opts.cache.verified(blob.stat_key)
        # The stored bytes are unchanged since seawall hashed them: trust that hash, and only
        # if it is the digest the image claims for this layer.
        if known is not None and (not blob.ref.diff_id or known.diff_id == blob.ref.diff_id):
            cached = opts.cache.layer(known.diff_id)
            if cached is not None:
                return cached, known.digest
    return _walk_and_analyze(blob, analyzers, opts)


def base_split(
    diff_ids: Sequence[str], candidates: Sequence[tuple[str, tuple[str, ...]]]
) -> tuple[str, int] | None:
    """The local image whose layer chain is the longest proper prefix of this one, if any."""
    best: tuple[str, int] | None = None
    for name, chain in candidates:
        n = len(chain)
        if (
            0 < n < len(diff_ids)
            and tuple(diff_ids[:n]) == tuple(chain)
            and (best is None or n > best[1])
        ):
            best = (name, n)
    return best


def scan_image(
    image: OpenedImage,
    analyzers: AnalyzerRegistry,
    opts: ScanOptions,
    generated_at: str,
    progress: Progress | None = None,
) -> Inventory:
    """Read every layer, bottom first, and build the inventory."""
    results: list[LayerResult] = []
    refs: list[LayerRef] = []
    total = len(image.layers)
    for i, blob in enumerate(image.layers):
        res, digest = layer_result(blob, analyzers, opts)
        results.append(res)
        refs.append(
            replace(
                blob.ref,
                index=i,
                diff_id=res.diff_id or blob.ref.diff_id,
                digest=digest or blob.ref.digest,
            )
        )
        if progress:
            progress(i + 1, total)
    info = image.info
    split = base_split([r.diff_id for r in refs], opts.base_candidates)
    if split is not None:
        refs = [replace(r, base=r.index < split[1]) for r in refs]
        info = replace(info, base_image=info.base_image or split[0])
    merged = merge_layers(results, refs)
    packages = apply_os(merged.packages, merged.os)
    return Inventory(
        image=replace(info, layers=tuple(refs)),
        packages=packages,
        os=merged.os,
        notes=merged.notes,
        generated_at=generated_at,
    )
