"""``sarif``: SARIF 2.1.0 for code-scanning tools (GitHub and others).

Only problems are results: ``fail`` and ``warn`` (passes, info, manual and skip are not SARIF
alerts). Checks that ended in ``error`` and sources that could not be read become
``invocations[0].toolExecutionNotifications`` with ``executionSuccessful: false``. Suppressed
results stay, with ``suppressions[]``. ``rules[]`` is generated from the rules' metadata.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

from seawall.model import Outcome, Report, Result, RuleMeta, Severity
from seawall.model.rule import DOMAINS, RuleId
from seawall.output.base import WriteOptions, writer
from seawall.output.view import dump_json, encodable, shown_results

SARIF_VERSION = "2.1.0"
#: The ``$id`` of the OASIS SARIF 2.1.0 (errata 01) schema the output is validated against.
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 3986 reserved and unreserved characters, plus '%' of existing escapes: left as they are.
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def artifact_uri(uri: str) -> str:
    """A valid RFC 3986 URI reference for a location.

    Absolute host paths become ``file://`` URIs (``/etc/docker/daemon.json`` ->
    ``file:///etc/docker/daemon.json``); URIs with a scheme (``docker://container/web``) are
    kept; anything not allowed in a URI is percent-encoded.
    """
    text = _BARE_PERCENT.sub("%25", encodable(uri))
    if text.startswith("/"):
        return "file://" + quote(text, safe=_URI_SAFE.replace("?", "").replace("#", ""))
    if _SCHEME.match(text):
        return quote(text, safe=_URI_SAFE)
    encoded = quote(text, safe=_URI_SAFE.replace("?", "").replace("#", ""))
    # A relative reference whose first segment has a colon would read as a scheme.
    first = encoded.split("/", 1)[0]
    return f"./{encoded}" if ":" in first else encoded


def fingerprint(result: Result) -> str:
    """Stable identity of a result across runs: rule ID, target and location (not the message)."""
    uri = result.location.uri if result.location else ""
    return hashlib.sha256(
        f"{result.rule_id}\n{result.target}\n{uri}".encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _name(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title)) or "Rule"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _rule(meta: RuleMeta) -> dict[str, Any]:
    refs = list(meta.references)
    text = f"{meta.rationale}\n\nRemediation: {meta.remediation}"
    markdown = f"**{_md(meta.title)}** ({meta.severity.label})\n\n{_md(meta.rationale)}\n\n**Remediation:** {_md(meta.remediation)}"
    if refs:
        text += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in refs)
        markdown += "\n\n**References**\n\n" + "\n".join(f"- {_md(r)}" for r in refs)
    tags = ["security", _slug(DOMAINS.get(meta.domain, meta.domain))]
    tags += [t for t in meta.tags if t not in tags]
    return {
        "id": meta.id,
        "name": _name(meta.title),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": meta.severity.sarif_level},
        "properties": {
            "security-severity": meta.severity.security_severity,
            "tags": list(dict.fromkeys(tags)),
        },
    }


def _placeholder_rule(rule_id: str, severity: Severity) -> RuleMeta:
    # A result whose rule metadata is missing from the report still needs a rules[] entry.
    return RuleMeta(
        id=RuleId(rule_id),
        title=rule_id,
        severity=severity,
        scope="unknown",
        rationale="No metadata was recorded for this rule.",
        remediation="See the seawall rule documentation.",
    )


def _level(result: Result) -> str:
    level = result.severity.sarif_level
    # A warn asks for a human look: never louder than a warning.
    return "warning" if result.outcome is Outcome.WARN and level == "error" else level


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else f"{text}."


def _message(result: Result, title: str) -> str:
    text = f"{_sentence(f'{title} ({result.target})')} {_sentence(result.message)}"
    if result.evidence:
        text += f" Evidence: {_sentence('; '.join(result.evidence))}"
    return text


def _location(result: Result) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {
            "uri": artifact_uri(result.location.uri if result.location else result.target)
        }
    }
    if (
        result.location is not None
        and result.location.line is not None
        and result.location.line >= 1
    ):
        physical["region"] = {"startLine": result.location.line}
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"name": result.target, "kind": "resource"}],
    }


def _result(result: Result, index: int, title: str, occurrence: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": index,
        "level": _level(result),
        "message": {"text": _message(result, title)},
        "locations": [_location(result)],
        "partialFingerprints": {"primaryLocationLineHash": f"{fingerprint(result)}:{occurrence}"},
        "properties": {
            "target": result.target,
            "outcome": result.outcome.value,
            "controls": list(result.controls),
        },
    }
    if result.suppression is not None:
        sup = result.suppression
        props = {"source": sup.source, **({"expires": sup.expires} if sup.expires else {})}
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": sup.justification,
                "properties": props,
            }
        ]
    return out


def _notifications(report: Report, index: dict[str, int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"level": "error", "message": {"text": f"{e.source}: {e.message}"}} for e in report.errors
    ]
    for r in report.results:
        if r.outcome is Outcome.ERROR:
            note: dict[str, Any] = {
                "level": "error",
                "message": {
                    "text": f"{r.rule_id} could not be evaluated for {r.target}: {r.reason or r.message}"
                },
                "associatedRule": {"id": r.rule_id, "index": index[r.rule_id]},
            }
            if r.location is not None:
                note["locations"] = [_location(r)]
            out.append(note)
    out += [{"level": "note", "message": {"text": n}} for n in report.notes]
    return out


def sarif_document(report: Report, options: WriteOptions) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (one run)."""
    metas = list(report.rules)
    known: set[str] = {m.id for m in metas}
    for r in report.results:
        if r.rule_id not in known:
            metas.append(_placeholder_rule(r.rule_id, r.severity))
            known.add(r.rule_id)
    index: dict[str, int] = {m.id: i for i, m in enumerate(metas)}
    titles: dict[str, str] = {m.id: m.title for m in metas}
    shown = shown_results(report, options.min_severity)
    seen: dict[str, int] = {}
    results = []
    for r in shown:
        if r.outcome.is_problem:
            fp = fingerprint(r)
            seen[fp] = seen.get(fp, 0) + 1
            results.append(_result(r, index[r.rule_id], titles[r.rule_id], seen[fp]))
    invocation: dict[str, Any] = {"executionSuccessful": report.complete}
    notifications = _notifications(report, index)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    properties: dict[str, Any] = {
        "command": report.tool.command,
        "generatedAt": report.generated_at,
    }
    if report.benchmark:
        properties["benchmark"] = report.benchmark
    properties["score"] = report.summary().score
    if options.filtering:
        properties["minSeverity"] = options.min_severity.label
        properties["hiddenResults"] = len(report.results) - len(shown)
    driver = {
        "name": report.tool.name,
        "semanticVersion": report.tool.version,
        "version": report.tool.version,
        "rules": [_rule(m) for m in metas],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": properties,
            }
        ],
    }


@writer(
    name="sarif",
    media_type="application/sarif+json",
    extension=".sarif",
    description="SARIF 2.1.0 for code scanning: fail and warn results with rule help and fingerprints.",
)
def write_sarif(report: Report, options: WriteOptions) -> str:
    """Serialise the report as SARIF 2.1.0."""
    return dump_json(sarif_document(report, options))
