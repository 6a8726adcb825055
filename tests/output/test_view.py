"""Shared presentation helpers: safe text and the row/section view with its severity filter."""

from __future__ import annotations

import dataclasses

import pytest

from seawall.model import Outcome, Report, Severity, Suppression
from seawall.output.view import build_view, clean, encodable, evidence_line, shown_controls, worst


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain ✓ 日本", "plain ✓ 日本"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("esc\x1b[31m", "esc\\x1b[31m"),
        ("cr\r nul\x00 del\x7f c1\x9b", "cr\\x0d nul\\x00 del\\x7f c1\\x9b"),
        ("surrogate \ud83d", "surrogate \ufffd"),
        ("nonchar \uffff", "nonchar \ufffd"),
    ],
)
def test_clean(raw: str, safe: str) -> None:
    assert clean(raw) == safe
    clean(raw).encode("utf-8")


def test_encodable_keeps_control_characters() -> None:
    assert encodable("a\x1b\ud800") == "a\x1b\ufffd"


def test_worst() -> None:
    assert worst([Outcome.PASS, Outcome.WARN, Outcome.SKIP]) is Outcome.WARN
    assert worst([Outcome.FAIL, Outcome.ERROR]) is Outcome.ERROR
    assert worst([]) is None


def test_rows_follow_controls_then_uncovered_rules(report: Report) -> None:
    view = build_view(report, Severity.INFO, suppressed=False)
    assert [s.key for s in view.sections] == ["1", "2", "3", "4", "5", "6", "LC"]
    ids = [row.id for s in view.sections for row in s.rows]
    assert ids == ["1.1.1", "2.2", "2.9", "3.1", "3.3", "4.5", "5.5", "5.26", "6.1", "LC002"]
    lc = view.sections[-1].rows[0]
    assert not lc.is_control
    assert lc.outcome is Outcome.FAIL
    assert lc.severity is Severity.LOW
    manual = view.sections[1].rows[1]
    assert manual.severity is None
    assert manual.note
    assert manual.outcome is Outcome.MANUAL
    assert view.sections[2].rows[1].note == "docker.socket does not exist on this host"
    assert view.sections[3].rows[0].note is not None  # the manual result's reason


def test_rows_keep_the_engine_outcome(report: Report) -> None:
    view = build_view(report, Severity.INFO, suppressed=True)
    outcomes = {row.id: row.outcome for s in view.sections for row in s.rows}
    assert outcomes == {c.id: c.outcome for c in report.controls} | {"LC002": Outcome.FAIL}


def test_suppressed_results_listed_only_when_asked(report: Report) -> None:
    def targets(suppressed: bool) -> list[str]:
        view = build_view(report, Severity.INFO, suppressed=suppressed)
        return [
            r.target
            for s in view.sections
            for row in s.rows
            for r in row.results
            if row.id == "5.5"
        ]

    assert targets(False) == ["container/web", "container/db"]
    assert targets(True) == ["container/web", "container/db", "container/legacy"]


def test_rule_row_with_only_suppressed_problems_passes(report: Report) -> None:
    sup = Suppression(".seawallignore:9", "accepted")
    results = tuple(
        dataclasses.replace(r, suppression=sup)
        if r.rule_id == "LC002" and r.outcome is Outcome.FAIL
        else r
        for r in report.results
    )
    view = build_view(dataclasses.replace(report, results=results), Severity.INFO, suppressed=False)
    assert view.sections[-1].rows[0].outcome is Outcome.PASS


@pytest.mark.parametrize("severity", list(Severity))
def test_severity_filter(report: Report, severity: Severity) -> None:
    view = build_view(report, severity, suppressed=True)
    rows = [row for s in view.sections for row in s.rows]
    assert all((row.severity or Severity.INFO) >= severity for row in rows)
    assert all(r.severity >= severity for row in rows for r in row.results)
    assert view.hidden_results == sum(1 for r in report.results if r.severity < severity)
    total_rows = len(report.controls) + 1  # plus the LC002 rule row
    assert view.hidden_rows == total_rows - len(rows)
    controls, hidden = shown_controls(report, severity)
    assert hidden == len(report.controls) - len(controls)
    assert {c.id for c in controls} == {row.id for row in rows if row.is_control}


def test_unknown_sections_are_appended_in_order(report: Report) -> None:
    odd = dataclasses.replace(report.results[0], section="ZZ", rule_id="ZZ001", controls=())
    view = build_view(
        dataclasses.replace(report, results=(*report.results, odd)), Severity.INFO, suppressed=False
    )
    assert view.sections[-1].key == "ZZ"
    assert view.sections[-1].title == "ZZ"
    assert view.sections[-1].rows[0].title == "ZZ001"


def test_evidence_line(report: Report) -> None:
    warn = next(r for r in report.results if r.outcome is Outcome.WARN)
    assert evidence_line(warn).endswith("— SecurityOpt=[] (+1 more)")
    skip = next(r for r in report.results if r.outcome is Outcome.SKIP)
    assert evidence_line(skip) == "docker.socket does not exist on this host"
