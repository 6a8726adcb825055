"""``LayerAnalysis``: files analyzed while the walk waits for its hashing thread give exactly
the result of analyzing the finished walk; a file replaced later in the layer counts in its
final version only; duplicates cost at most one extra analysis per path."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

import seawall.image.digests as digests_module
from seawall.image.layers import walk_layer
from seawall.inventory.analyzer import AnalyzerRegistry, FileInput, Found, analyzer
from seawall.inventory.layerscan import LayerAnalysis, analyze_walk
from seawall.model.inventory import Package
from tests.image.builders import Entry, layer_tar, sha256

CALLS: Counter[str] = Counter()


def _content(fi: FileInput) -> Found:
    CALLS[fi.path] += 1
    version = fi.read().decode()
    return Found(
        packages=(
            Package(
                name=fi.path.rsplit("/", 1)[1],
                version=version,
                ecosystem="generic",
                purl=f"pkg:generic/{fi.path.rsplit('/', 1)[1]}@{version}",
                analyzer="content",
                path=fi.path,
            ),
        )
    )


ANALYZERS = AnalyzerRegistry(
    [
        analyzer(
            id="content",
            version=1,
            description="the file's content as a version",
            required=lambda p: p.startswith("/data/"),
        )(_content)
    ]
)


class _SlowHash:
    """sha256, slowly: the walk waits for its hashing thread, so idle steps run."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def update(self, data: bytes | memoryview) -> None:
        for _ in range(20):
            hashlib.sha256(data).digest()
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def _layer() -> bytes:
    pad = bytes(range(256)) * 4096  # 1 MiB
    entries = [Entry("data/a", data=b"1"), Entry("data/b", data=b"gone")]
    entries += [Entry(f"pad/{i}", data=pad) for i in range(4)]
    entries += [Entry("data/c", data=b"c"), Entry("data/d", "hardlink", link="data/c")]
    entries += [Entry("data/dup", data=b"%d" % i) for i in range(300)]
    entries += [Entry(f"pad/x{i}", data=pad) for i in range(12)]
    entries += [Entry("data/a", data=b"2"), Entry("data/b", "dir")]
    entries += [Entry(f"data/f{i}", data=b"%d" % i) for i in range(50)]
    entries += [Entry(f"pad/y{i}", data=pad) for i in range(12)]
    return layer_tar(entries)


@pytest.fixture
def slow_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hashing thread that lags behind the walk."""
    defaults = digests_module.Digests.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "threaded", True)
    monkeypatch.setitem(digests_module.HASHES, "sha256", _SlowHash)


@pytest.mark.usefixtures("slow_thread")
@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_early_analysis_equals_analysis_at_the_end(tmp_path: Path, gzipped: bool) -> None:
    tar = _layer()
    blob = gzip.compress(tar, 1) if gzipped else tar
    steps = Counter[str]()
    analysis = LayerAnalysis(ANALYZERS)

    def step() -> bool:
        did = analysis.step()
        steps[str(did)] += 1
        return did

    CALLS.clear()
    walk = walk_layer(
        io.BytesIO(blob),
        wanted=ANALYZERS.wanted,
        tmpdir=str(tmp_path),
        expected_diff_id=sha256(tar),
        expected_digest=sha256(blob),
        on_file=analysis.file_kept,
        on_idle=step,
    )
    early = analysis.result(walk)
    assert steps["True"] > 10, "the walk waited for its thread and analyzed meanwhile"
    calls = Counter(CALLS)
    assert calls["/data/dup"] <= 2 and calls["/data/a"] <= 2
    assert calls["/data/b"] <= 1 and calls["/data/f3"] == 1

    CALLS.clear()
    late = analyze_walk(walk, ANALYZERS)
    assert early == late
    versions = {p: r[0].packages[0].version for p, r in early.found.items()}
    assert versions["/data/a"] == "2" and versions["/data/dup"] == "299"
    assert versions["/data/c"] == versions["/data/d"] == "c"
    assert "/data/b" not in versions and len(versions) == 4 + 50


def test_nothing_is_analyzed_twice_without_idle_time(tmp_path: Path) -> None:
    tar = layer_tar([Entry("data/x", data=b"1"), Entry("data/y", data=b"2")])
    analysis = LayerAnalysis(ANALYZERS)
    walk = walk_layer(
        io.BytesIO(tar), wanted=ANALYZERS.wanted, tmpdir=str(tmp_path), on_file=analysis.file_kept
    )
    CALLS.clear()
    result = analysis.result(walk)
    assert dict(CALLS) == {"/data/x": 1, "/data/y": 1}
    assert sorted(result.found) == ["/data/x", "/data/y"]
