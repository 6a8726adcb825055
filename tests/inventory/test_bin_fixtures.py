"""Fixture tests of the binary analyzers (gobinary, java, rust-binary).

Each has ``tests/inventory/<id>/input/`` (files at their image paths, including decoys the
analyzer must want but find nothing in) and ``expected.json``: for every file the analyzer
wants, keyed by image path, its packages (without layer) and notes. The inputs are binary, so
they are written by ``_bin_support.write_fixture_inputs`` and a test proves the checked-in
bytes are exactly what that code writes. ``SEAWALL_REGEN_FIXTURES=1`` rewrites both (review
the diff).
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from seawall.inventory.analyzers import group_binary
from seawall.inventory.catalogue import ANALYZERS
from tests.inventory._bin_support import write_fixture_inputs
from tests.inventory._fixtures import FIXTURES, REGEN, check_expected, run_tree

IDS = ("gobinary", "java", "rust-binary")


def test_group_lists_the_binary_analyzers() -> None:
    assert [a.id for a in group_binary.ANALYZERS] == list(IDS)
    assert all(a.version >= 1 and a.description for a in group_binary.ANALYZERS)


@pytest.mark.parametrize("analyzer_id", IDS)
def test_fixture_inputs_are_reproducible(analyzer_id: str, tmp_path: Path) -> None:
    root = FIXTURES / analyzer_id / "input"
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
    got, _ = run_tree(ANALYZERS.get(analyzer_id), FIXTURES / analyzer_id / "input")
    check_expected(got, FIXTURES / analyzer_id / "expected.json")
    assert any(v.get("packages") for v in got.values()), f"{analyzer_id}: the fixture finds nothing"
