"""The json writer: valid against its shipped JSON Schema, complete, ordered, honest when filtered."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema
import pytest

from seawall.model import Outcome, Report, Severity
from seawall.model.report import SCHEMA_VERSION
from seawall.output import WriteOptions, get_writer, report_schema, report_schema_text

VALIDATOR = jsonschema.Draft202012Validator(
    report_schema(), format_checker=jsonschema.FormatChecker()
)


def load(report: Report, options: WriteOptions | None = None) -> dict[str, Any]:
    """Write ``report`` as JSON, validate it against the schema and parse it."""
    doc: dict[str, Any] = json.loads(get_writer("json").write(report, options or WriteOptions()))
    VALIDATOR.validate(doc)
    return doc


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert json.loads(report_schema_text()) == schema


@pytest.mark.parametrize("severity", list(Severity))
@pytest.mark.parametrize("show_suppressed", [False, True])
def test_output_validates(report: Report, severity: Severity, show_suppressed: bool) -> None:
    load(report, WriteOptions(min_severity=severity, show_suppressed=show_suppressed))


def test_schema_version_first_and_stable_key_order(report: Report) -> None:
    doc = load(report)
    assert list(doc) == [
        "schema_version",
        "tool",
        "generated_at",
        "benchmark",
        "complete",
        "targets",
        "sections",
        "summary",
        "filter",
        "controls",
        "results",
        "rules",
        "errors",
        "notes",
        "deselected",
    ]
    assert doc["schema_version"] == "1.0"
    assert list(doc["summary"]["counts"]) == [o.value for o in Outcome]


def test_everything_is_there(report: Report) -> None:
    doc = load(report)
    assert len(doc["results"]) == len(report.results)
    assert len(doc["controls"]) == len(report.controls)
    assert [r["id"] for r in doc["rules"]] == [m.id for m in report.rules]
    assert doc["errors"] == [{"source": e.source, "message": e.message} for e in report.errors]
    assert doc["notes"] == list(report.notes)
    assert doc["complete"] is False
    assert doc["summary"] == {
        "counts": report.summary().counts,
        "suppressed": 1,
        "deselected": 2,
        "score": report.summary().score,
    }
    manual = next(c for c in doc["controls"] if c["id"] == "2.9")
    assert manual["outcome"] == "manual"
    assert manual["manual_reason"]
    located = next(r for r in doc["results"] if r["rule_id"] == "DM001")
    assert located["location"] == {"uri": "/etc/docker/daemon.json", "line": 3}


def test_suppressed_results_are_always_present_and_marked(report: Report) -> None:
    for show in (False, True):
        doc = load(report, WriteOptions(show_suppressed=show))
        suppressed = [r for r in doc["results"] if r["suppressed"]]
        assert len(suppressed) == 1
        assert suppressed[0]["target"] == "container/legacy"
        assert suppressed[0]["suppression"] == {
            "source": ".seawallignore:3",
            "justification": "legacy CI runner needs it; tracked in OPS-12",
            "expires": "2031-01-31",
        }
        assert all(r["suppression"] is None for r in doc["results"] if not r["suppressed"])


def test_unicode_and_markup_survive_verbatim(report: Report) -> None:
    doc = load(report)
    warn = next(r for r in doc["results"] if r["outcome"] == "warn")
    assert "<script>alert('x')</script>" in warn["message"]
    assert "naïve ✓ 日本" in warn["evidence"][1]
    assert "日本" in get_writer("json").write(report, WriteOptions())  # not \\u-escaped


def test_severity_filter_hides_results_but_not_counts(report: Report) -> None:
    full = load(report)
    high = load(report, WriteOptions(min_severity=Severity.HIGH))
    assert high["summary"] == full["summary"]  # honest: the filter never changes the counts
    assert all(r["severity"] in ("high", "critical") for r in high["results"])
    assert high["filter"] == {
        "min_severity": "high",
        "hidden_results": sum(1 for r in report.results if r.severity < Severity.HIGH),
        "hidden_controls": 6,
    }
    assert [c["id"] for c in high["controls"]] == ["2.2", "5.5", "5.26"]
    assert full["filter"] == {"min_severity": "info", "hidden_results": 0, "hidden_controls": 0}


def test_schema_rejects_a_broken_document(report: Report) -> None:
    doc = load(report)
    doc["results"][0]["outcome"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)
    doc = load(report)
    doc["results"][0]["suppressed"] = True  # marked suppressed without a suppression
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)


def test_lone_surrogates_do_not_break_encoding(report: Report) -> None:
    bad = dataclasses.replace(report.results[0], message="bad \ud800 text")
    out = get_writer("json").write(dataclasses.replace(report, results=(bad,)), WriteOptions())
    out.encode("utf-8")
    assert "bad \ufffd text" in out
