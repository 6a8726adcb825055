"""Fixture tests of the language analyzers (Python, npm, Yarn, pnpm, Ruby, PHP, .NET, Rust).

Each analyzer has ``tests/inventory/<id>/input/`` and ``expected.json`` (see
``_fixtures``). ``SEAWALL_REGEN_FIXTURES=1`` rewrites expected.json after a deliberate
change; review the diff.
"""

from __future__ import annotations

import pytest

from seawall.inventory.analyzer import Analyzer
from seawall.inventory.analyzers import group_lang
from tests.inventory._fixtures import FIXTURES, check_expected, run_tree

IDS = (
    "python-pkg",
    "python-lock",
    "npm-pkg",
    "npm-lock",
    "yarn-lock",
    "pnpm-lock",
    "gem-spec",
    "gem-lock",
    "composer-installed",
    "composer-lock",
    "dotnet-deps",
    "cargo-lock",
)


def test_group_lists_the_language_analyzers_in_order() -> None:
    assert [a.id for a in group_lang.ANALYZERS] == list(IDS)


@pytest.mark.parametrize("a", group_lang.ANALYZERS, ids=lambda a: a.id)
def test_fixture(a: Analyzer) -> None:
    folder = FIXTURES / a.id
    got, decoys = run_tree(a, folder / "input")
    assert decoys, "each fixture tree holds files the analyzer must not want"
    assert any(v.get("packages") for v in got.values()), f"{a.id}: the fixture finds no package"
    check_expected(got, folder / "expected.json")


@pytest.mark.parametrize("a", group_lang.ANALYZERS, ids=lambda a: a.id)
def test_fixture_packages_are_well_formed(a: Analyzer) -> None:
    got, _ = run_tree(a, FIXTURES / a.id / "input")
    for image_path, result in got.items():
        for pkg in result.get("packages", []):
            assert pkg["path"] == image_path
            assert pkg["analyzer"] == a.id
            assert pkg["purl"].startswith(f"pkg:{pkg['ecosystem']}/")
            assert pkg["purl"].endswith("@" + pkg["version"]) or "%" in pkg["purl"]
