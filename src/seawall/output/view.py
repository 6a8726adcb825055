"""Presentation helpers shared by the writers: safe text, rule lookup and the row/section view.

Nothing here decides whether a target is compliant: rows take the outcome the engine gave a
control, and a rule without a control shows the worst of its own unsuppressed results (the
same summary the engine uses for controls).

Severity filter (``--severity``), one rule for every format: a row is shown when the highest
severity among its rules is at or above the filter (manual items, which have no rule, count as
``info``); within a shown row, results below the filter are left out. Counts in the summary
always cover the whole report, so a filter never makes a run look better than it is; each
format says how many results the filter hid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from seawall.model import Control, Outcome, Report, Result, RuleMeta, Severity
from seawall.model.rule import DOMAINS

# C0 controls except tab and newline, DEL and C1 controls: shown as visible escapes so that a
# container name or an image label cannot move a terminal cursor or break an XML document.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates cannot be encoded as UTF-8; U+FFFE/U+FFFF are not allowed in XML.
_UNENCODABLE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (possible in decoded JSON) replaced by U+FFFD."""
    return _UNENCODABLE.sub("\ufffd", text)


def clean(text: str) -> str:
    """``text`` safe for a terminal, XML or HTML: control characters become ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", encodable(text))


def _encodable_json(value: Any) -> Any:
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, dict):
        return {encodable(str(k)): _encodable_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encodable_json(v) for v in value]
    return value


def dump_json(document: Any) -> str:
    """Indented UTF-8 JSON text with a final newline; key order is the document's own."""
    return json.dumps(_encodable_json(document), indent=2, ensure_ascii=False) + "\n"


def rules_by_id(report: Report) -> dict[str, RuleMeta]:
    """The report's rule metadata keyed by rule ID."""
    return {r.id: r for r in report.rules}


def section_title(report: Report, key: str) -> str:
    """Title of a section key: the report's own title, else the rule domain's name, else the key."""
    return report.sections.get(key) or DOMAINS.get(key, key)


def worst(outcomes: Iterable[Outcome]) -> Outcome | None:
    """The worst outcome by ``Outcome.rank``; ``None`` for none."""
    return max(outcomes, key=lambda o: o.rank, default=None)


def is_problem(result: Result) -> bool:
    """True for results a reader must look at: ``fail``, ``warn`` and ``error``."""
    return result.outcome.is_problem or result.outcome is Outcome.ERROR


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a report: a benchmark control, or a rule that no control covers.

    ``results`` are the shown results of its rules (after the severity and suppression
    filters); ``note`` is the manual reason, or the reason shared by skipped results.
    """

    id: str
    title: str
    section: str
    outcome: Outcome
    severity: Severity | None
    rule_ids: tuple[str, ...]
    results: tuple[Result, ...]
    note: str | None = None
    is_control: bool = True


@dataclass(frozen=True, slots=True)
class SectionView:
    """A section and its shown rows."""

    key: str
    title: str
    rows: tuple[Row, ...]

    def counts(self) -> dict[Outcome, int]:
        """Shown rows per outcome, every outcome present, in ``Outcome`` order."""
        counts = dict.fromkeys(Outcome, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts


@dataclass(frozen=True, slots=True)
class ReportView:
    """The report as sections of rows, plus what the severity filter left out."""

    sections: tuple[SectionView, ...]
    hidden_rows: int
    hidden_results: int


def row_severity(
    rule_ids: Iterable[str], rules: Mapping[str, RuleMeta], results: Iterable[Result]
) -> Severity | None:
    """Highest severity among a row's rules (from metadata, else from its results); ``None``
    for a row without rules (a manual item)."""
    sevs = [rules[rid].severity for rid in rule_ids if rid in rules]
    sevs += [r.severity for r in results if r.rule_id not in rules]
    return max(sevs, default=None)


def _shared_reason(results: Iterable[Result], outcome: Outcome) -> str | None:
    if outcome not in (Outcome.SKIP, Outcome.MANUAL):
        return None
    reasons = {r.reason or r.message for r in results if r.outcome is outcome}
    return reasons.pop() if len(reasons) == 1 else None


def _control_row(
    control: Control, by_rule: Mapping[str, list[Result]], rules: Mapping[str, RuleMeta]
) -> tuple[Row, list[Result]]:
    results = [r for rid in control.rule_ids for r in by_rule.get(rid, [])]
    note = control.manual_reason or _shared_reason(results, control.outcome)
    row = Row(
        id=control.id,
        title=control.title,
        section=control.section,
        outcome=control.outcome,
        severity=row_severity(control.rule_ids, rules, results),
        rule_ids=control.rule_ids,
        results=(),
        note=note,
    )
    return row, results


def _rule_row(
    rule_id: str, results: list[Result], rules: Mapping[str, RuleMeta]
) -> tuple[Row, list[Result]]:
    meta = rules.get(rule_id)
    unsuppressed = [r.outcome for r in results if r.suppression is None]
    # Same summary as the engine's control rows: worst unsuppressed outcome, pass when all
    # results are suppressed.
    outcome = worst(unsuppressed) or (Outcome.PASS if results else Outcome.SKIP)
    section = next((r.section for r in results if r.section), rule_id[:2])
    row = Row(
        id=rule_id,
        title=meta.title if meta else rule_id,
        section=section,
        outcome=outcome,
        severity=row_severity((rule_id,), rules, results),
        rule_ids=(rule_id,),
        results=(),
        note=_shared_reason(results, outcome),
        is_control=False,
    )
    return row, results


def _all_rows(report: Report) -> list[tuple[Row, list[Result]]]:
    rules = rules_by_id(report)
    by_rule: dict[str, list[Result]] = {}
    for r in report.results:
        by_rule.setdefault(r.rule_id, []).append(r)
    rows = [_control_row(c, by_rule, rules) for c in report.controls]
    covered = {rid for c in report.controls for rid in c.rule_ids}
    order = [r.id for r in report.rules] + [rid for rid in by_rule if rid not in rules]
    rows += [
        _rule_row(rid, by_rule[rid], rules)
        for rid in order
        if rid not in covered and rid in by_rule
    ]
    return rows


def build_view(report: Report, min_severity: Severity, *, suppressed: bool) -> ReportView:
    """Group the report into sections of rows, applying the severity filter.

    ``suppressed`` says whether suppressed results are listed under their rows.
    """
    sections: dict[str, list[Row]] = {key: [] for key in report.sections}
    hidden_rows = 0
    for row, results in _all_rows(report):
        if (row.severity or Severity.INFO) < min_severity:
            hidden_rows += 1
            continue
        shown = tuple(
            r
            for r in results
            if r.severity >= min_severity and (suppressed or r.suppression is None)
        )
        sections.setdefault(row.section, []).append(
            Row(
                row.id,
                row.title,
                row.section,
                row.outcome,
                row.severity,
                row.rule_ids,
                shown,
                row.note,
                row.is_control,
            )
        )
    hidden_results = sum(1 for r in report.results if r.severity < min_severity)
    views = tuple(
        SectionView(k, section_title(report, k), tuple(rows))
        for k, rows in sections.items()
        if rows
    )
    return ReportView(views, hidden_rows, hidden_results)


def shown_controls(report: Report, min_severity: Severity) -> tuple[tuple[Control, ...], int]:
    """Controls the severity filter keeps (same rule as rows), and how many it hid."""
    rules = rules_by_id(report)
    by_rule: dict[str, list[Result]] = {}
    for r in report.results:
        by_rule.setdefault(r.rule_id, []).append(r)
    keep = []
    for c in report.controls:
        results = [r for rid in c.rule_ids for r in by_rule.get(rid, [])]
        if (row_severity(c.rule_ids, rules, results) or Severity.INFO) >= min_severity:
            keep.append(c)
    return tuple(keep), len(report.controls) - len(keep)


def shown_results(report: Report, min_severity: Severity) -> tuple[Result, ...]:
    """Results at or above the severity filter, suppressed ones included, in report order."""
    return tuple(r for r in report.results if r.severity >= min_severity)


def evidence_line(result: Result) -> str:
    """``message — first evidence (+N more)`` for one-line listings."""
    text = (
        result.reason
        if result.outcome in (Outcome.SKIP, Outcome.ERROR) and result.reason
        else result.message
    )
    if result.evidence:
        more = f" (+{len(result.evidence) - 1} more)" if len(result.evidence) > 1 else ""
        text = f"{text} — {result.evidence[0]}{more}"
    return text
