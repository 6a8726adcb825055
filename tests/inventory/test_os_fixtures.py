"""Fixture tests of the OS analyzers (os-release, dpkg, apk, rpm).

Each analyzer has ``tests/inventory/<id>/input/`` (files at their image paths, plus decoys the
analyzer must not want) and ``expected.json``: for every file the analyzer wants, keyed by
image path, what it found (``os``, ``packages`` without layer, ``notes``). Set
``SEAWALL_REGEN_FIXTURES=1`` to rewrite expected.json after a deliberate change, then review
the diff.
"""

from __future__ import annotations

import pytest

from seawall.inventory.analyzers import group_os
from seawall.inventory.catalogue import ANALYZERS
from tests.inventory._fixtures import FIXTURES, check_expected, run_tree

IDS = ("os-release", "dpkg", "apk", "rpm")


def test_group_lists_the_os_analyzers_in_order() -> None:
    assert [a.id for a in group_os.ANALYZERS] == list(IDS)


@pytest.mark.parametrize("analyzer_id", IDS)
def test_fixture(analyzer_id: str) -> None:
    got, decoys = run_tree(
        ANALYZERS.get(analyzer_id), FIXTURES / analyzer_id / "input", with_os=True
    )
    assert decoys, "each fixture tree holds files the analyzer must not want"
    check_expected(got, FIXTURES / analyzer_id / "expected.json")
