"""``json``: the whole report as versioned JSON (schema: ``schemas/report-1.0.schema.json``).

Keys come in a fixed order with ``schema_version`` first. Suppressed results are always
present, marked ``suppressed: true`` with their suppression. The severity filter leaves out
results (and controls) below it; ``summary`` still counts the whole report and ``filter``
says how much was left out.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from seawall.model import Control, Report, Result, RuleMeta
from seawall.model.rule import DOMAINS
from seawall.output.base import WriteOptions, writer
from seawall.output.view import dump_json, shown_controls, shown_results

#: Packaged JSON Schema (draft 2020-12) of this format, one file per ``schema_version``.
SCHEMA_FILE = "report-1.0.schema.json"


def report_schema_text() -> str:
    """The JSON Schema of the report format as shipped (``seawall`` can print it)."""
    return (
        resources.files("seawall.output")
        .joinpath("schemas", SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report format, parsed."""
    schema: dict[str, Any] = json.loads(report_schema_text())
    return schema


def _result(r: Result) -> dict[str, Any]:
    sup = r.suppression
    return {
        "rule_id": r.rule_id,
        "target": r.target,
        "outcome": r.outcome.value,
        "severity": r.severity.label,
        "message": r.message,
        "reason": r.reason,
        "section": r.section,
        "controls": list(r.controls),
        "evidence": list(r.evidence),
        "location": None
        if r.location is None
        else {"uri": r.location.uri, "line": r.location.line},
        "suppressed": sup is not None,
        "suppression": None
        if sup is None
        else {"source": sup.source, "justification": sup.justification, "expires": sup.expires},
    }


def _control(c: Control) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "section": c.section,
        "assessment": c.assessment,
        "outcome": c.outcome.value,
        "rule_ids": list(c.rule_ids),
        "manual_reason": c.manual_reason,
    }


def _rule(m: RuleMeta) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "severity": m.severity.label,
        "scope": m.scope,
        "domain": m.domain,
        "domain_title": DOMAINS.get(m.domain, m.domain),
        "informational": m.informational,
        "rationale": m.rationale,
        "remediation": m.remediation,
        "references": list(m.references),
        "tags": list(m.tags),
    }


def report_document(report: Report, options: WriteOptions) -> dict[str, Any]:
    """The report as a JSON-ready dict in the documented key order."""
    summary = report.summary()
    controls, hidden_controls = shown_controls(report, options.min_severity)
    results = shown_results(report, options.min_severity)
    return {
        "schema_version": report.schema_version,
        "tool": {
            "name": report.tool.name,
            "version": report.tool.version,
            "command": report.tool.command,
        },
        "generated_at": report.generated_at,
        "benchmark": report.benchmark,
        "complete": report.complete,
        "targets": list(report.targets),
        "sections": dict(report.sections),
        "summary": {
            "counts": dict(summary.counts),
            "suppressed": summary.suppressed,
            "deselected": summary.deselected,
            "score": summary.score,
        },
        "filter": {
            "min_severity": options.min_severity.label,
            "hidden_results": len(report.results) - len(results),
            "hidden_controls": hidden_controls,
        },
        "controls": [_control(c) for c in controls],
        "results": [_result(r) for r in results],
        "rules": [_rule(m) for m in report.rules],
        "errors": [{"source": e.source, "message": e.message} for e in report.errors],
        "notes": list(report.notes),
        "deselected": list(report.deselected),
    }


@writer(
    name="json",
    media_type="application/json",
    extension=".json",
    description="The whole report as versioned JSON (schema_version 1.0, JSON Schema shipped).",
)
def write_json(report: Report, options: WriteOptions) -> str:
    """Serialise the report; deterministic for a given report and options."""
    return dump_json(report_document(report, options))
