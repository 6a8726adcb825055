"""Fixture tests of the binary analyzers (gobinary, java, rust-binary).

Each has ``tests/inventory/<id>/input/`` (files at their image paths, including decoys the
analyzer must want but find nothing in) and ``expected.json``: for every file the analyzer
wants, keyed by image path, its packages (without layer) and notes. The inputs are binary, so
they are written by ``_bin_support.write_fixture_inputs`` and a test proves the checked-in
bytes are exactly what that code writes. ``SEAWALL_REGEN_FIXTURES=1`` rewrites both (review
the diff).
"""

from __future__ import annotations

import dataclasses
import filecmp
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from seawall.inventory.analyzer import Analyzer, AnalyzerError
from seawall.inventory.analyzers import group_binary
from tests.inventory._bin_support import path_input, write_fixture_inputs

HERE = Path(__file__).parent
IDS = ("gobinary", "java", "rust-binary")
REGEN = os.environ.get("SEAWALL_REGEN_FIXTURES") == "1"


def by_id(analyzer_id: str) -> Analyzer:
    """The binary-group analyzer with this ID."""
    return next(a for a in group_binary.ANALYZERS if a.id == analyzer_id)


def run_tree(analyzer: Analyzer, root: Path) -> dict[str, Any]:
    """What ``analyzer`` reports for every file of ``root`` it wants, keyed by image path."""
    got: dict[str, Any] = {}
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        image_path = "/" + file.relative_to(root).as_posix()
        if not analyzer.required(image_path):
            continue
        try:
            found = analyzer.analyze(path_input(file, image_path))
        except AnalyzerError as exc:
            got[image_path] = {"error": exc.message}
            continue
        packages = []
        for pkg in found.packages:
            data = dataclasses.asdict(pkg)
            assert data.pop("layer") is None
            data["licenses"] = list(pkg.licenses)
            data["properties"] = [list(p) for p in pkg.properties]
            packages.append(data)
        got[image_path] = {"packages": packages, "notes": list(found.notes)}
    return got


def test_group_lists_the_binary_analyzers() -> None:
    assert [a.id for a in group_binary.ANALYZERS] == list(IDS)
    assert all(a.version >= 1 and a.description for a in group_binary.ANALYZERS)


@pytest.mark.parametrize("analyzer_id", IDS)
def test_fixture_inputs_are_reproducible(analyzer_id: str, tmp_path: Path) -> None:
    root = HERE / analyzer_id / "input"
    if REGEN:
        shutil.rmtree(root, ignore_errors=True)
        write_fixture_inputs(analyzer_id, root)
    write_fixture_inputs(analyzer_id, tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert fresh == kept
    for rel in fresh:
        assert filecmp.cmp(tmp_path / rel, root / rel, shallow=False), rel
        assert (tmp_path / rel).stat().st_mode & 0o111 == (root / rel).stat().st_mode & 0o111, rel


@pytest.mark.parametrize("analyzer_id", IDS)
def test_fixture(analyzer_id: str) -> None:
    got = run_tree(by_id(analyzer_id), HERE / analyzer_id / "input")
    expected_file = HERE / analyzer_id / "expected.json"
    if REGEN:
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(expected_file.read_text())
    assert any(v.get("packages") for v in got.values()), f"{analyzer_id}: the fixture finds nothing"
