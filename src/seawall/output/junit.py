"""``junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps ...).

One ``<testsuite>`` per section, one ``<testcase>`` per result: ``classname`` is the rule ID and
``name`` is ``[SEVERITY] RULE title (target)``, unique in the document (CI tools merge equal
names). ``fail``/``warn`` -> ``<failure>``, ``error`` -> ``<error>``, ``skip``/``manual``/``info``
and suppressed problems -> ``<skipped>``; ``pass`` has no child. Manual benchmark items become
skipped test cases and unreadable sources error test cases, so the counts add up. Built with
ElementTree, which escapes markup; control characters are made visible first (XML 1.0 has no
way to carry them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from seawall.model import Control, Outcome, Report, Result, RuleMeta
from seawall.output.base import WriteOptions, writer
from seawall.output.view import clean, rules_by_id, section_title, shown_controls, shown_results

_SKIPPED = (Outcome.SKIP, Outcome.MANUAL, Outcome.INFO)


def _body(result: Result, meta: RuleMeta | None) -> str:
    lines = [result.message]
    if result.evidence:
        lines += ["Evidence:", *(f"  {e}" for e in result.evidence)]
    if result.location is not None:
        line = f":{result.location.line}" if result.location.line else ""
        lines.append(f"Location: {result.location.uri}{line}")
    if meta is not None and result.outcome.is_problem:
        lines.append(f"Remediation: {meta.remediation}")
    return clean("\n".join(lines))


def _case(result: Result, meta: RuleMeta | None, name: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": result.rule_id, "name": clean(name)})
    if result.outcome.is_problem and result.suppression is not None:
        sup = result.suppression
        ET.SubElement(
            case, "skipped", {"message": clean(f"suppressed by {sup.source}: {sup.justification}")}
        )
    elif result.outcome.is_problem:
        failure = ET.SubElement(
            case, "failure", {"message": clean(result.message), "type": result.outcome.value}
        )
        failure.text = _body(result, meta)
    elif result.outcome is Outcome.ERROR:
        error = ET.SubElement(
            case, "error", {"message": clean(result.reason or result.message), "type": "error"}
        )
        error.text = _body(result, meta)
    elif result.outcome in _SKIPPED:
        skipped = ET.SubElement(
            case, "skipped", {"message": clean(result.reason or result.message)}
        )
        if result.evidence:
            skipped.text = _body(result, meta)
    return case


def _manual_case(control: Control) -> ET.Element:
    case = ET.Element(
        "testcase",
        {"classname": clean(control.id), "name": clean(f"[MANUAL] {control.id} {control.title}")},
    )
    ET.SubElement(
        case, "skipped", {"message": clean(control.manual_reason or "needs a manual check")}
    )
    return case


class _Names:
    """Hands out test case names, numbering repeats so every (classname, name) is unique."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def unique(self, name: str) -> str:
        n = self._seen.get(name, 0) + 1
        self._seen[name] = n
        return name if n == 1 else f"{name} #{n}"


def _suite(name: str, cases: Iterable[ET.Element], properties: dict[str, str]) -> ET.Element:
    cases = list(cases)
    attrs = {
        "name": clean(name),
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "errors": str(sum(1 for c in cases if c.find("error") is not None)),
        "skipped": str(sum(1 for c in cases if c.find("skipped") is not None)),
    }
    suite = ET.Element("testsuite", attrs)
    props = ET.SubElement(suite, "properties")
    for key, value in properties.items():
        ET.SubElement(props, "property", {"name": key, "value": clean(value)})
    suite.extend(cases)
    return suite


def _properties(report: Report, options: WriteOptions, hidden: int) -> dict[str, str]:
    props = {"seawall.version": report.tool.version, "generated_at": report.generated_at}
    if report.benchmark:
        props["benchmark"] = report.benchmark
    if options.filtering:
        props["min_severity"] = options.min_severity.label
        props["hidden_results"] = str(hidden)
    return props


def junit_tree(report: Report, options: WriteOptions) -> ET.Element:
    """The report as a ``<testsuites>`` element."""
    rules = rules_by_id(report)
    names = _Names()
    results = shown_results(report, options.min_severity)
    groups: dict[str, list[ET.Element]] = {key: [] for key in report.sections}
    for r in results:
        meta = rules.get(r.rule_id)
        title = meta.title if meta else r.rule_id
        name = names.unique(f"[{r.severity.label.upper()}] {r.rule_id} {title} ({r.target})")
        groups.setdefault(r.section or r.rule_id[:2], []).append(_case(r, meta, name))
    controls, _ = shown_controls(report, options.min_severity)
    for c in controls:
        if c.outcome is Outcome.MANUAL and not c.rule_ids:
            groups.setdefault(c.section, []).append(_manual_case(c))
    props = _properties(report, options, len(report.results) - len(results))
    root = ET.Element("testsuites", {"name": clean(f"{report.tool.name} {report.tool.command}")})
    for key, cases in groups.items():
        if cases:
            root.append(_suite(f"{key} {section_title(report, key)}", cases, props))
    if report.errors:
        errors = []
        for e in report.errors:
            case = ET.Element(
                "testcase",
                {
                    "classname": clean(report.tool.name),
                    "name": clean(names.unique(f"[ERROR] source {e.source}")),
                },
            )
            ET.SubElement(case, "error", {"message": clean(e.message), "type": "error"})
            errors.append(case)
        root.append(_suite("Run errors", errors, props))
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
    return root


@writer(
    name="junit",
    media_type="application/xml",
    extension=".xml",
    description="JUnit XML: a test suite per section and a test case per result, for CI test reports.",
)
def write_junit(report: Report, options: WriteOptions) -> str:
    """Serialise the report as JUnit XML (UTF-8, indented)."""
    root = junit_tree(report, options)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
