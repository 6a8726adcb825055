"""Every inventory and inspection writer against its golden file, for the one fixed inventory.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/output/sbom`` and
review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seawall.output.sbom import SbomOptions, get_inspect_writer, get_sbom_writer
from tests.output.sbom.conftest import INVENTORY, fixed_options

GOLDEN = Path(__file__).parent / "golden"

#: golden file -> (catalogue, format, options)
CASES: dict[str, tuple[str, str, SbomOptions]] = {
    "inventory.cdx.json": ("sbom", "cyclonedx", fixed_options()),
    "inventory.spdx.json": ("sbom", "spdx-json", fixed_options()),
    "inventory.json": ("sbom", "json", fixed_options()),
    "inventory.table.txt": ("sbom", "table", fixed_options()),
    "inventory.table-color.txt": ("sbom", "table", fixed_options(color=True, terminal_width=100)),
    "inspect.table.txt": ("inspect", "table", fixed_options()),
    "inspect.json": ("inspect", "json", fixed_options()),
}


def render(name: str) -> str:
    """The output of one golden case."""
    catalogue, fmt, options = CASES[name]
    if catalogue == "sbom":
        return get_sbom_writer(fmt).write(INVENTORY, options)
    return get_inspect_writer(fmt).write(INVENTORY.image, options)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    out = render(name)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(out, encoding="utf-8", newline="")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert out == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_deterministic(name: str) -> None:
    assert render(name) == render(name)


def test_every_golden_file_is_a_case() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == set(CASES)
