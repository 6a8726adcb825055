"""Exit codes as ARCHITECTURE.md defines them, and config-file loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from seawall.cli.exitcode import decide_exit
from seawall.config import load_config
from seawall.errors import ConfigError
from seawall.model import Outcome, Report, Result, RunError, Severity, Suppression, ToolInfo


def _report(*results: Result, errors: tuple[RunError, ...] = ()) -> Report:
    return Report(
        ToolInfo("seawall", "0", "audit"), "2026-11-29T00:00:00Z", (), results, errors=errors
    )


def _r(outcome: Outcome, sev: Severity, suppressed: bool = False) -> Result:
    sup = Suppression("f:1", "why") if suppressed else None
    return Result("RT005", "container/x", outcome, "m", sev, suppression=sup)


def test_exit_codes_first_match_wins() -> None:
    assert decide_exit(_report(_r(Outcome.PASS, Severity.HIGH)), Severity.LOW, 1) == 0
    assert decide_exit(_report(_r(Outcome.FAIL, Severity.HIGH)), Severity.LOW, 1) == 1
    assert decide_exit(_report(_r(Outcome.WARN, Severity.MEDIUM)), Severity.LOW, 7) == 7
    assert decide_exit(_report(_r(Outcome.FAIL, Severity.LOW)), Severity.HIGH, 1) == 0
    assert (
        decide_exit(_report(_r(Outcome.FAIL, Severity.HIGH, suppressed=True)), Severity.LOW, 1) == 0
    )
    assert decide_exit(_report(_r(Outcome.FAIL, Severity.HIGH)), Severity.LOW, 0) == 0
    # An incomplete run is 2, whatever else is present, and never 0.
    assert decide_exit(_report(_r(Outcome.ERROR, Severity.LOW)), Severity.LOW, 0) == 2
    assert (
        decide_exit(
            _report(_r(Outcome.PASS, Severity.LOW), errors=(RunError("engine", "down"),)),
            Severity.LOW,
            1,
        )
        == 2
    )


def test_config_file_sections_and_refusals(tmp_path: Path) -> None:
    good = tmp_path / "c.yaml"
    good.write_text("audit:\n  fail-on: high\n  allowed-registries: registry.example.com\n")
    assert load_config(str(good)) == {
        "audit": {"fail_on": "high", "allowed_registries": ["registry.example.com"]}
    }
    cases = {
        "audit:\n  fial-on: high\n": "unknown key audit.fial-on",
        "scan: {}\n": "unknown section 'scan'",
        "- a\n": "expected a mapping",
        "audit: [1]\n": "must be a mapping",
        "audit:\n  checks: [1, 2]\n": "must be a list of strings",
        "audit: {": "invalid YAML",
    }
    for text, problem in cases.items():
        good.write_text(text)
        with pytest.raises(ConfigError, match=problem):
            load_config(str(good))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(str(tmp_path / "nope.yaml"))
