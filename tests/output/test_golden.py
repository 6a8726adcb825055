"""Every writer against its golden file, for the one fixed report.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/output`` and review the
diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seawall.model import Report, Severity
from seawall.output import WriteOptions, get_writer

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "report.table.txt": ("table", WriteOptions()),
    "report.table-high-suppressed.txt": (
        "table",
        WriteOptions(min_severity=Severity.HIGH, show_suppressed=True, terminal_width=100),
    ),
    "report.table-color.txt": ("table", WriteOptions(color=True, terminal_width=100)),
    "report.json": ("json", WriteOptions()),
    "report-high.json": ("json", WriteOptions(min_severity=Severity.HIGH)),
    "report.sarif": ("sarif", WriteOptions()),
    "report.junit.xml": ("junit", WriteOptions()),
    "report.html": ("html", WriteOptions()),
    "report-suppressed.html": ("html", WriteOptions(show_suppressed=True)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, report: Report) -> None:
    fmt, options = CASES[name]
    out = get_writer(fmt).write(report, options)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(out, encoding="utf-8", newline="")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert out == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_deterministic(name: str, report: Report) -> None:
    fmt, options = CASES[name]
    writer = get_writer(fmt)
    assert writer.write(report, options) == writer.write(report, options)


def test_every_golden_file_is_a_case() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == set(CASES)
