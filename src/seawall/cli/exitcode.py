"""Exit-code decision, shared by every command (ARCHITECTURE.md: conventions users rely on)."""

from __future__ import annotations

from seawall.model import Report, Severity

EXIT_CLEAN = 0
EXIT_ERROR = 2


def decide_exit(report: Report, fail_on: Severity, exit_code: int) -> int:
    """2 when the run is incomplete; ``exit_code`` on an unsuppressed fail/warn >= ``fail_on``; else 0."""
    if not report.complete:
        return EXIT_ERROR
    for r in report.results:
        if r.suppression is None and r.outcome.is_problem and r.severity >= fail_on:
            return exit_code
    return EXIT_CLEAN
