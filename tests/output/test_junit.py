"""The junit writer: parseable XML with the shape CI tools read, counts that add up, unique names."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from seawall.model import Outcome, Report, Severity
from seawall.output import WriteOptions, get_writer


def parse(report: Report, options: WriteOptions | None = None) -> ET.Element:
    """Write ``report`` as JUnit XML and parse it back."""
    text = get_writer("junit").write(report, options or WriteOptions())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _cases(root: ET.Element) -> list[ET.Element]:
    return list(root.iter("testcase"))


def test_structure(report: Report) -> None:
    root = parse(report)
    assert root.tag == "testsuites"
    assert all(child.tag == "testsuite" for child in root)
    names = [s.get("name") for s in root]
    assert names == [
        "1 Host Configuration",
        "2 Docker daemon configuration",
        "3 Docker daemon configuration files",
        "4 Container Images and Build File",
        "5 Container Runtime",
        "6 Docker Security Operations",
        "LC Lifecycle (beyond CIS)",
        "Run errors",
    ]
    for suite in root:
        children = [c.tag for c in suite]
        assert children[0] == "properties"
        assert set(children[1:]) == {"testcase"}


def test_one_case_per_result_plus_manual_items_and_run_errors(report: Report) -> None:
    cases = _cases(parse(report))
    manual_controls = [c for c in report.controls if c.outcome is Outcome.MANUAL and not c.rule_ids]
    assert len(cases) == len(report.results) + len(manual_controls) + len(report.errors)


def test_counts_add_up(report: Report) -> None:
    root = parse(report)
    for suite in [*root, root]:
        cases = list(suite.iter("testcase"))
        assert int(suite.get("tests", "-1")) == len(cases)
        for attr, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            assert int(suite.get(attr, "-1")) == sum(1 for c in cases if c.find(tag) is not None), (
                suite.get("name"),
                attr,
            )
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "15",
        "5",
        "2",
        "5",
    )


def test_outcome_mapping(report: Report) -> None:
    by_name = {c.get("name"): c for c in _cases(parse(report))}
    web = by_name["[CRITICAL] RT005 Container runs in privileged mode (container/web)"]
    failure = web.find("failure")
    assert failure is not None
    assert failure.get("type") == "fail"
    assert "HostConfig.Privileged=true" in (failure.text or "")
    assert "Remediation: How to fix RT005" in (failure.text or "")
    assert (
        list(by_name["[CRITICAL] RT005 Container runs in privileged mode (container/db)"]) == []
    )  # pass
    legacy = by_name["[CRITICAL] RT005 Container runs in privileged mode (container/legacy)"]
    skipped = legacy.find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("suppressed by .seawallignore:3")
    warn = by_name["[HIGH] RT012 Container can gain new privileges (container/web)"].find("failure")
    assert warn is not None
    assert warn.get("type") == "warn"
    err = by_name["[HIGH] RT012 Container can gain new privileges (container/db)"].find("error")
    assert err is not None
    assert err.get("message") == "could not read SecurityOpt: permission denied"
    for name in (
        "[LOW] IM003 Content trust is not enforced (host)",
        "[MEDIUM] FP002 docker.socket is not owned by root (host)",
        "[INFO] SO001 Image and container inventory (daemon)",
        "[MANUAL] 2.9 Enable user namespace support",
    ):
        assert by_name[name].find("skipped") is not None, name
    run_error = by_name["[ERROR] source engine unix:///var/run/docker.sock"].find("error")
    assert run_error is not None
    assert run_error.get("message") == "cannot list images: permission denied"


def test_classname_is_the_rule_id_and_names_are_unique(report: Report) -> None:
    r = report.results[0]
    doubled = dataclasses.replace(report, results=(*report.results, r, r))
    cases = _cases(parse(doubled))
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(set(keys)) == len(keys)
    assert ("HO001", "[MEDIUM] HO001 Containers share the root partition (host) #3") in keys
    for c in cases:
        if c.get("classname", "").isalnum() and c.get("classname") != "seawall":
            assert c.get("name", "").split("] ", 1)[1].startswith(c.get("classname", "")), c.get(
                "name"
            )


def test_markup_and_unicode_round_trip(report: Report) -> None:
    cases = {c.get("name"): c for c in _cases(parse(report))}
    failure = cases["[HIGH] RT012 Container can gain new privileges (container/web)"].find(
        "failure"
    )
    assert failure is not None
    assert "<script>alert('x')</script> & \"quoted\" naïve ✓ 日本" in failure.get("message", "")
    assert "Labels.note=<script>" in (failure.text or "")


def test_control_characters_cannot_break_the_document(report: Report) -> None:
    hostile = dataclasses.replace(
        report.results[0], message="bell\x07 esc\x1b[31m nul\x00 \ufffe", target="host\x0b"
    )
    root = parse(dataclasses.replace(report, results=(hostile,)))
    case = next(root.iter("testcase"))
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "bell\\x07 esc\\x1b[31m nul\\x00 \ufffd"
    assert case.get("name", "").endswith("(host\\x0b)")


def test_severity_filter_keeps_counts_consistent(report: Report) -> None:
    root = parse(report, WriteOptions(min_severity=Severity.HIGH))
    sevs = {
        c.get("name", "").split("]")[0]
        for c in root.iter("testcase")
        if c.get("classname") != "seawall"
    }
    assert sevs <= {"[HIGH", "[CRITICAL"}
    assert int(root.get("tests", "0")) == len(list(root.iter("testcase")))
    props = {p.get("name"): p.get("value") for p in root[0].iter("property")}
    assert props["min_severity"] == "high"
    assert props["hidden_results"] == str(
        sum(1 for r in report.results if r.severity < Severity.HIGH)
    )
    assert root[-1].get("name") == "Run errors"  # errors are not findings: never filtered
