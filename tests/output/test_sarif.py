"""The sarif writer: valid against the official SARIF 2.1.0 schema (offline) and useful to GitHub."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from seawall.model import Location, Outcome, Report, Result, Severity
from seawall.output import WriteOptions, get_writer
from seawall.output.sarif import artifact_uri, fingerprint

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

# jsonschema checks "uri"/"uri-reference" only with optional extras; check RFC 3986 ourselves.
_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
CHECKER = jsonschema.FormatChecker()


@CHECKER.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or (bool(_URI_CHARS.match(value)) and value.count("#") <= 1)


@CHECKER.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (_is_uri_reference(value) and bool(_SCHEME.match(value)))


VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=CHECKER)


def load(report: Report, options: WriteOptions | None = None) -> dict[str, Any]:
    """Write ``report`` as SARIF, validate it against the official schema and parse it."""
    doc: dict[str, Any] = json.loads(get_writer("sarif").write(report, options or WriteOptions()))
    VALIDATOR.validate(doc)
    return doc


def test_schema_copy_is_the_official_one() -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert (
        len((Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_bytes())
        == 112768
    )


@pytest.mark.parametrize("severity", list(Severity))
def test_output_validates(report: Report, severity: Severity) -> None:
    load(report, WriteOptions(min_severity=severity))


def test_log_shape(report: Report) -> None:
    doc = load(report)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"] == SCHEMA["id"]
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "seawall"
    assert driver["semanticVersion"] == "0.1.0"
    assert "informationUri" not in driver


def test_rules_come_from_metadata(report: Report) -> None:
    rules = load(report)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [m.id for m in report.rules]
    for rule, meta in zip(rules, report.rules, strict=True):
        assert rule["shortDescription"]["text"] == meta.title
        assert rule["fullDescription"]["text"] == meta.rationale
        assert meta.rationale in rule["help"]["text"]
        assert meta.remediation in rule["help"]["text"]
        assert meta.remediation in rule["help"]["markdown"]
        for ref in meta.references:
            assert ref in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == meta.severity.sarif_level
        assert rule["properties"]["security-severity"] == meta.severity.security_severity
        assert rule["properties"]["tags"][0] == "security"
        assert len(rule["properties"]["tags"]) >= 2
        assert re.fullmatch(r"[A-Za-z0-9]+", rule["name"])
    rt005 = next(r for r in rules if r["id"] == "RT005")
    assert rt005["properties"]["tags"][:2] == ["security", "container-runtime"]


def test_only_fail_and_warn_are_results(report: Report) -> None:
    run = load(report)["runs"][0]
    results = run["results"]
    expected = [r for r in report.results if r.outcome in (Outcome.FAIL, Outcome.WARN)]
    assert len(results) == len(expected) == 6
    assert {r["properties"]["outcome"] for r in results} == {"fail", "warn"}
    rules = run["tool"]["driver"]["rules"]
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert len(res["locations"]) == 1


def test_result_fields(report: Report) -> None:
    results = load(report)["runs"][0]["results"]
    dm = next(r for r in results if r["ruleId"] == "DM001")
    assert dm["level"] == "error"
    assert dm["message"]["text"].startswith("Inter-container traffic is not restricted (daemon).")
    assert dm["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///etc/docker/daemon.json"},
        "region": {"startLine": 3},
    }
    web = next(r for r in results if r["ruleId"] == "RT005")
    assert (
        web["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "docker://container/web"
    )
    warn = next(r for r in results if r["properties"]["outcome"] == "warn")
    assert warn["level"] == "warning"  # a warn is never louder than a warning, even for a high rule


def test_suppressed_results_carry_suppressions(report: Report) -> None:
    results = load(report)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "legacy CI runner needs it; tracked in OPS-12",
            "properties": {"source": ".seawallignore:3", "expires": "2031-01-31"},
        }
    ]


def test_fingerprints_are_stable_and_unique(report: Report) -> None:
    results = load(report)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(prints)) == len(prints)
    changed = dataclasses.replace(
        report,
        results=tuple(
            dataclasses.replace(r, message=r.message + " (reworded)") for r in report.results
        ),
    )
    assert [
        r["partialFingerprints"]["primaryLocationLineHash"]
        for r in load(changed)["runs"][0]["results"]
    ] == prints
    r0 = report.results[0]
    assert fingerprint(r0) != fingerprint(dataclasses.replace(r0, target="other"))
    assert fingerprint(r0) != fingerprint(dataclasses.replace(r0, location=Location("/elsewhere")))


def test_duplicate_identities_get_an_occurrence_number(report: Report) -> None:
    r = report.results[0]
    doc = load(dataclasses.replace(report, results=(r, dataclasses.replace(r, message="again"))))
    prints = [
        x["partialFingerprints"]["primaryLocationLineHash"] for x in doc["runs"][0]["results"]
    ]
    assert prints[0].endswith(":1")
    assert prints[1].endswith(":2")
    assert prints[0][:-2] == prints[1][:-2]


def test_errors_become_notifications(report: Report) -> None:
    (inv,) = load(report)["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert len(errors) == 2  # the run error and the RT012 error result
    assert errors[0]["message"]["text"].startswith("engine unix:///var/run/docker.sock: ")
    assert errors[1]["associatedRule"]["id"] == "RT012"
    assert [n["message"]["text"] for n in notes if n["level"] == "note"] == list(report.notes)


def test_complete_run(report: Report) -> None:
    ok = dataclasses.replace(
        report,
        errors=(),
        notes=(),
        results=tuple(r for r in report.results if r.outcome is not Outcome.ERROR),
    )
    (inv,) = load(ok)["runs"][0]["invocations"]
    assert inv == {"executionSuccessful": True}


def test_severity_filter(report: Report) -> None:
    run = load(report, WriteOptions(min_severity=Severity.CRITICAL))["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"RT005"}
    assert len(run["tool"]["driver"]["rules"]) == len(report.rules)  # ruleIndex stays stable
    assert run["properties"]["minSeverity"] == "critical"
    assert run["properties"]["hiddenResults"] == sum(
        1 for r in report.results if r.severity < Severity.CRITICAL
    )
    # errors are not findings: they are reported whatever the filter
    assert not run["invocations"][0]["executionSuccessful"]
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 3


def test_result_without_rule_metadata_gets_a_descriptor(report: Report) -> None:
    orphan = Result("ZZ999", "host", Outcome.FAIL, "no metadata", Severity.HIGH, location=None)
    run = load(dataclasses.replace(report, results=(*report.results, orphan)))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    res = next(r for r in run["results"] if r["ruleId"] == "ZZ999")
    assert rules[res["ruleIndex"]]["id"] == "ZZ999"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "host"


@pytest.mark.parametrize(
    ("raw", "uri"),
    [
        ("/etc/docker/daemon.json", "file:///etc/docker/daemon.json"),
        ("/", "file:///"),
        ("/srv/my dir/ü.json", "file:///srv/my%20dir/%C3%BC.json"),
        ("/odd/name#1?.txt", "file:///odd/name%231%3F.txt"),
        ("/tmp/100%", "file:///tmp/100%25"),
        ("/tmp/%41", "file:///tmp/%41"),
        ("docker://container/web", "docker://container/web"),
        ("docker://image/nginx:1.25", "docker://image/nginx:1.25"),
        ("docker://image/<none>:<none>", "docker://image/%3Cnone%3E:%3Cnone%3E"),
        (
            "docker://daemon/unix:///var/run/docker.sock",
            "docker://daemon/unix:///var/run/docker.sock",
        ),
        ("container/web", "container/web"),
        ("weird:name/x", "weird:name/x"),
        ("c:x/y", "c:x/y"),
        ("a b:c", "./a%20b:c"),
    ],
)
def test_artifact_uri(raw: str, uri: str) -> None:
    assert artifact_uri(raw) == uri
    assert _is_uri_reference(uri)
