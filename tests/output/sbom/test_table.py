"""The inventory table: readable, complete, and inert to markup and control characters."""

from __future__ import annotations

import dataclasses

from seawall.model.inventory import Inventory, Package
from seawall.output.sbom import get_sbom_writer
from tests.output.sbom.conftest import INVENTORY, fixed_options


def render(inventory: Inventory, **changes: object) -> str:
    """The table for ``inventory``."""
    return get_sbom_writer("table").write(inventory, fixed_options(**changes))


def test_rows_and_header(inventory: Inventory) -> None:
    out = render(inventory, terminal_width=200)
    assert "Image:    registry.example.com/team/app:1.4 (docker)" in out
    assert "OS:       Debian GNU/Linux 12 (bookworm)" in out
    assert "Packages: 8 packages (2 base, 2 own, 4 unknown)" in out
    row = next(line for line in out.splitlines() if line.startswith("cpp "))
    assert row.split() == ["cpp", "4:12.2.0-3", "deb", "/var/lib/dpkg/status", "1", "base"]
    assert "note: /dev/sda: device file skipped" in out


def test_markup_and_escapes_print_literally() -> None:
    pkg = Package("[bold]x[/bold]", "1\x1b[31m", "npm", "pkg:npm/x@1", "npm-pkg", "/x\x00")
    out = render(dataclasses.replace(INVENTORY, packages=(pkg,)), terminal_width=200)
    assert "[bold]x[/bold]" in out
    assert "\x1b" not in out and "\x00" not in out
    assert "1\\x1b[31m" in out and "/x\\x00" in out


def test_color_only_when_asked(inventory: Inventory) -> None:
    assert "\x1b[" not in render(inventory)
    assert "\x1b[" in render(inventory, color=True)


def test_no_packages() -> None:
    out = render(dataclasses.replace(INVENTORY, packages=(), os=None, notes=()))
    assert "Packages: 0 packages" in out
    assert "No packages found." in out
