"""``.seawallignore`` parsing and application: marked, never dropped; expiry; bad lines refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from seawall.errors import ConfigError
from seawall.model import Outcome, Result, Severity
from seawall.suppress.ignorefile import apply_ignores, load_ignore, parse_ignore


def _r(
    rule: str, target: str, outcome: Outcome = Outcome.FAIL, controls: tuple[str, ...] = ()
) -> Result:
    return Result(rule, target, outcome, "m", Severity.HIGH, controls=controls)


def test_parse_and_apply() -> None:
    entries = parse_ignore(
        "# comment\nRT005 # legacy box\n5.25 target=container/old-* exp:2027-01-01\nDM0* exp:2026-01-01 # done\n",
        ".seawallignore",
    )
    results = (
        _r("RT005", "container/a"),
        _r("RT025", "container/old-1", controls=("5.25",)),
        _r("RT025", "container/new", controls=("5.25",)),
        _r("DM012", "daemon"),
        _r("RT006", "container/a", Outcome.ERROR),
    )
    out, warnings = apply_ignores(results, entries, date(2026, 11, 29), ".seawallignore")
    assert len(out) == len(results)  # never dropped
    marked = {r.rule_id + "@" + r.target: r.suppression for r in out}
    assert (
        marked["RT005@container/a"] is not None
        and marked["RT005@container/a"].justification == "legacy box"
    )
    assert marked["RT025@container/old-1"] is not None
    assert marked["RT025@container/new"] is None
    assert marked["DM012@daemon"] is None  # expired entries stop applying ...
    assert warnings and "expired on 2026-01-01" in warnings[0]  # ... and say so
    assert marked["RT006@container/a"] is None  # errors are never suppressed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("RT005 exp:tomorrow", "bad expiry"),
        ("RT005 because", "unexpected 'because'"),
        ("../etc/passwd", "not a rule ID"),
    ],
)
def test_bad_lines_name_file_and_line(text: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=rf"f:1: .*{problem}"):
        parse_ignore(text, "f")


def test_unreadable_files(tmp_path: Path) -> None:
    binary = tmp_path / "ign"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_ignore(binary)
    with pytest.raises(ConfigError, match="cannot read ignore file"):
        load_ignore(tmp_path / "missing")
