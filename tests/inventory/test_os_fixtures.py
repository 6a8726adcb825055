"""Fixture tests of the OS analyzers (os-release, dpkg, apk, rpm).

Each analyzer has ``tests/inventory/<id>/input/`` (files at their image paths, plus decoys the
analyzer must not want) and ``expected.json``: for every file the analyzer wants, keyed by
image path, what it found (``os``, ``packages`` without layer, ``notes``). Set
``SEAWALL_REGEN_FIXTURES=1`` to rewrite expected.json after a deliberate change, then review
the diff.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from seawall.inventory.analyzers import group_os
from tests.inventory._os_support import HERE, by_id, disk_input, found_json

IDS = ("os-release", "dpkg", "apk", "rpm")


def test_group_lists_the_os_analyzers_in_order() -> None:
    assert [a.id for a in group_os.ANALYZERS] == list(IDS)


@pytest.mark.parametrize("analyzer_id", IDS)
def test_fixture(analyzer_id: str) -> None:
    analyzer = by_id(analyzer_id)
    root = HERE / analyzer_id / "input"
    got: dict[str, Any] = {}
    decoys = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        image_path = "/" + path.relative_to(root).as_posix()
        if analyzer.required(image_path):
            got[image_path] = found_json(analyzer.analyze(disk_input(path, image_path)))
        else:
            decoys += 1
    assert decoys, "each fixture tree holds files the analyzer must not want"
    expected_file = HERE / analyzer_id / "expected.json"
    if os.environ.get("SEAWALL_REGEN_FIXTURES") == "1":
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(expected_file.read_text())
