"""``AnalyzerRegistry.wanted``: the same answer as asking every analyzer, each distinct
selector asked once per path (it runs on every entry of every layer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from seawall.inventory.analyzer import AnalyzerRegistry, FileInput, Found, analyzer
from seawall.inventory.catalogue import ANALYZERS

FIXTURES = Path(__file__).parent


def _paths() -> list[str]:
    """Image paths of every analyzer fixture, plus near misses."""
    paths = {
        "/" + str(p.relative_to(d / "input"))
        for d in FIXTURES.iterdir()
        if (d / "input").is_dir()
        for p in (d / "input").rglob("*")
    }
    return sorted(
        paths
        | {
            "/",
            "/etc/os-release.bak",
            "/usr/bin/",
            "/usr/local/bin/app",
            "/usr/share/doc/x/package-lock.json",
            "/srv/app/node_modules/a/package.json",
            "/opt/app.jar",
            "/x.deps.json",
        }
    )


def test_wanted_agrees_with_every_analyzer() -> None:
    paths = _paths()
    assert len(paths) > 50
    for path in paths:
        assert ANALYZERS.wanted(path) == any(a.required(path) for a in ANALYZERS), path
    assert any(ANALYZERS.wanted(p) for p in paths) and not all(ANALYZERS.wanted(p) for p in paths)


def test_a_shared_selector_is_asked_once() -> None:
    calls: Counter[str] = Counter()

    def binaries(path: str) -> bool:
        calls[path] += 1
        return path.startswith("/bin/")

    def lock(path: str) -> bool:
        return path.endswith(".lock")

    def found(_: FileInput) -> Found:
        return Found()

    registry = AnalyzerRegistry(
        analyzer(id=name, version=1, description=name, required=selector)(found)
        for name, selector in (("one", binaries), ("two", lock), ("three", binaries))
    )
    assert registry.wanted("/bin/sh") and registry.wanted("/x.lock")
    assert not registry.wanted("/etc/passwd")
    assert calls == Counter({"/bin/sh": 1, "/x.lock": 1, "/etc/passwd": 1})
