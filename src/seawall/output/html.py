"""``html``: one self-contained HTML file (inline CSS and JS, no external reference at all).

Sections of rows like the table, with filter checkboxes per section and per outcome, every
target's evidence in a collapsible list, and the remediation of every failing check. All report
text is HTML-escaped; a Content-Security-Policy admits only the page's own style and script
(by hash), so even a slip in escaping could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

from seawall.model import Outcome, Report, Result, RuleMeta
from seawall.output.base import WriteOptions, writer
from seawall.output.html_assets import CSS, JS
from seawall.output.view import Row, SectionView, build_view, clean, is_problem, rules_by_id


def esc(text: str) -> str:
    """Report text made safe for HTML content and quoted attribute values."""
    return html.escape(clean(text), quote=True)


def csp_hash(block: str) -> str:
    """CSP source expression allowing exactly this inline block."""
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


CSP = (
    f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _anchor(prefix: str, key: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _badge(outcome: Outcome) -> str:
    return f'<span class="badge {outcome.value}">{outcome.value}</span>'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _header(report: Report, options: WriteOptions, hidden_results: int) -> list[str]:
    summary = report.summary()
    out = [
        f"<header><h1>{esc(report.tool.name)} {esc(report.tool.command)} report</h1>",
        '<dl class="meta">',
    ]
    if report.benchmark:
        out.append(f"<dt>Benchmark</dt><dd>{esc(report.benchmark)}</dd>")
    out.append(f"<dt>Generated</dt><dd>{esc(report.generated_at)}</dd>")
    out.append(f"<dt>Tool</dt><dd>{esc(report.tool.name)} {esc(report.tool.version)}</dd>")
    targets = ", ".join(esc(t) for t in report.targets) or "none"
    out.append(f"<dt>Targets</dt><dd>{len(report.targets)}: {targets}</dd></dl>")
    if not report.complete:
        out.append(
            '<p class="banner incomplete">The run is incomplete: some sources or checks ended in error (see Errors).</p>'
        )
    badges = " ".join(f"{_badge(o)} {summary.counts[o.value]}" for o in Outcome)
    out.append(
        f'<div class="summary">{badges}<span class="score">Score {summary.score:.1f}%</span></div>'
    )
    facts = ["Counts are per target over the whole report."]
    if options.filtering:
        facts.append(
            f"Showing severity {options.min_severity.label} and above: {_plural(hidden_results, 'result')} below it not listed (still counted)."
        )
    if summary.deselected:
        facts.append(f"{_plural(summary.deselected, 'check')} deselected.")
    if summary.suppressed:
        how = (
            "listed, marked suppressed"
            if options.show_suppressed
            else "not shown (run with --show-suppressed to list them)"
        )
        facts.append(f"{_plural(summary.suppressed, 'suppressed result')} {how}.")
    out.append('<p class="counts">' + " ".join(facts) + "</p></header>")
    return out


def _filters(sections: Iterable[SectionView], suppressed: bool) -> list[str]:
    out = ['<nav class="filters" aria-label="Filters">', "<fieldset><legend>Sections</legend>"]
    out += [
        f'<label><input type="checkbox" data-filter="section" value="{esc(s.key)}" checked> '
        f'<a href="#{_anchor("section", s.key)}">{esc(s.key)} {esc(s.title)}</a></label>'
        for s in sections
    ]
    out.append("</fieldset><fieldset><legend>Outcomes</legend>")
    out += [
        f'<label><input type="checkbox" data-filter="outcome" value="{o.value}" checked> {_badge(o)}</label>'
        for o in Outcome
    ]
    out.append('<button type="button" data-preset="problems">Problems only</button>')
    out.append('<button type="button" data-preset="all">All</button></fieldset>')
    if suppressed:
        out.append(
            '<fieldset><legend>Suppressed</legend><label><input type="checkbox" data-filter="suppressed" '
            'value="yes" checked> show suppressed results</label></fieldset>'
        )
    out.append("</nav>")
    return out


def _target(r: Result) -> str:
    classes = r.outcome.value + (" suppressed" if r.suppression is not None else "")
    text = r.reason if r.outcome in (Outcome.SKIP, Outcome.ERROR) and r.reason else r.message
    out = [
        f'<li class="{classes}">{_badge(r.outcome)} <strong>{esc(r.target)}</strong> — {esc(text)}'
    ]
    if r.evidence:
        out.append(
            '<ul class="evidence">'
            + "".join(f"<li><code>{esc(e)}</code></li>" for e in r.evidence)
            + "</ul>"
        )
    if r.location is not None:
        line = f":{r.location.line}" if r.location.line else ""
        out.append(f'<div class="loc">{esc(r.location.uri)}{line}</div>')
    if r.suppression is not None:
        sup = r.suppression
        expires = f" (expires {esc(sup.expires)})" if sup.expires else ""
        out.append(
            f'<div class="note">Suppressed by {esc(sup.source)}: {esc(sup.justification)}{expires}</div>'
        )
    return "".join(out) + "</li>"


def _details(row: Row) -> str:
    if not row.results:
        return ""
    counts: dict[Outcome, int] = {}
    for r in row.results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    label = " · ".join(
        f"{n} {o.value}" for o, n in sorted(counts.items(), key=lambda kv: -kv[0].rank)
    )
    is_open = " open" if any(is_problem(r) for r in row.results if r.suppression is None) else ""
    items = "".join(_target(r) for r in row.results)
    return f'<details{is_open}><summary>{_plural(len(row.results), "target")}: {label}</summary><ul class="targets">{items}</ul></details>'


def _fixes(row: Row, rules: dict[str, RuleMeta]) -> str:
    # Every failing check gets its fix: the row's own outcome, or a failing target under an
    # erroring row.
    if not (
        row.outcome.is_problem
        or any(r.outcome.is_problem and r.suppression is None for r in row.results)
    ):
        return ""
    out = []
    for rid in row.rule_ids:
        meta = rules.get(rid)
        if meta is not None:
            out.append(
                f'<p class="fix"><strong>Fix ({esc(rid)}):</strong> {esc(meta.remediation)}</p>'
            )
            out.append(f'<p class="why">{esc(meta.rationale)}</p>')
    return "".join(out)


def _row(row: Row, rules: dict[str, RuleMeta]) -> str:
    sev = (
        f'<span class="sev {row.severity.label}">{row.severity.label}</span>'
        if row.severity is not None
        else "—"
    )
    rule_ids = (
        f' <span class="rules">({esc(", ".join(row.rule_ids))})</span>'
        if row.is_control and row.rule_ids
        else ""
    )
    note = f'<div class="note">{esc(row.note)}</div>' if row.note else ""
    check = f"{esc(row.title)}{rule_ids}{note}{_fixes(row, rules)}{_details(row)}"
    return (
        f'<tr data-section="{esc(row.section)}" data-outcome="{row.outcome.value}">'
        f'<td class="id">{esc(row.id)}</td><td>{check}</td><td>{sev}</td><td>{_badge(row.outcome)}</td></tr>'
    )


def _section(section: SectionView, rules: dict[str, RuleMeta]) -> list[str]:
    counts = " · ".join(f"{n} {o.value}" for o, n in section.counts().items() if n)
    return [
        f'<section id="{_anchor("section", section.key)}" data-section="{esc(section.key)}">',
        f"<h2>{esc(section.key)} {esc(section.title)}</h2>",
        f'<p class="counts">{_plural(len(section.rows), "check")}: {counts}</p>',
        "<table><thead><tr><th>ID</th><th>Check</th><th>Severity</th><th>Result</th></tr></thead><tbody>",
        *(_row(row, rules) for row in section.rows),
        "</tbody></table></section>",
    ]


def _problems(report: Report) -> list[str]:
    errors = [f"{esc(e.source)}: {esc(e.message)}" for e in report.errors]
    errors += [
        f"{esc(r.rule_id)} {esc(r.target)}: {esc(r.reason or r.message)}"
        for r in report.results
        if r.outcome is Outcome.ERROR
    ]
    out = []
    if errors:
        out += [
            '<section id="errors"><h2>Errors</h2><ul>',
            *(f"<li>{e}</li>" for e in errors),
            "</ul></section>",
        ]
    if report.notes:
        out += [
            '<section id="notes"><h2>Notes</h2><ul>',
            *(f"<li>{esc(n)}</li>" for n in report.notes),
            "</ul></section>",
        ]
    return out


@writer(
    name="html",
    media_type="text/html",
    extension=".html",
    description="One self-contained HTML page with filters, evidence per target and fixes.",
)
def write_html(report: Report, options: WriteOptions) -> str:
    """Render the report as a single HTML document (no external resources)."""
    view = build_view(report, options.min_severity, suppressed=options.show_suppressed)
    rules = rules_by_id(report)
    has_suppressed = options.show_suppressed and any(
        r.suppression is not None for s in view.sections for row in s.rows for r in row.results
    )
    title = f"{report.tool.name} {report.tool.command} report — {report.generated_at}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{esc(report.tool.name)} {esc(report.tool.version)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        *_header(report, options, view.hidden_results),
        *_filters(view.sections, has_suppressed),
        "<main>",
    ]
    for section in view.sections:
        parts += _section(section, rules)
    if not view.sections:
        parts.append('<p class="note">No results to show.</p>')
    parts += _problems(report)
    parts += [
        "</main>",
        f"<footer>Generated by {esc(report.tool.name)} {esc(report.tool.version)} at {esc(report.generated_at)}.</footer>",
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
