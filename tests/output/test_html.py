"""The html writer: one self-contained, well-formed page; escaped text; filters; fixes."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import re
from html.parser import HTMLParser

import pytest

from seawall.model import Outcome, Report, Severity
from seawall.output import WriteOptions, get_writer

VOID = {"meta", "input", "br", "hr", "img", "link", "wbr"}
URL_ATTRS = {
    "src",
    "href",
    "action",
    "formaction",
    "srcset",
    "poster",
    "data",
    "background",
    "cite",
    "manifest",
}


class Page(HTMLParser):
    """Collects tags, attributes, text and raw-text blocks, and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.blocks: dict[str, list[str]] = {"script": [], "style": []}
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in self.blocks:
            self.blocks[self.stack[-1]].append(data)
        else:
            self.text.append(data)


def parse(report: Report, options: WriteOptions | None = None) -> tuple[str, Page]:
    """Write ``report`` as HTML and parse it."""
    out = get_writer("html").write(report, options or WriteOptions())
    page = Page()
    page.feed(out)
    page.close()
    return out, page


@pytest.mark.parametrize("show", [False, True])
def test_well_formed(report: Report, show: bool) -> None:
    out, page = parse(report, WriteOptions(show_suppressed=show))
    assert out.startswith("<!DOCTYPE html>\n")
    assert not page.problems
    assert not page.stack


def test_self_contained(report: Report) -> None:
    out, page = parse(report, WriteOptions(show_suppressed=True))
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        for name, value in attrs.items():
            if name in URL_ATTRS:
                assert (value or "").startswith("#"), (tag, name, value)
    assert [t for t, _ in page.tags].count("script") == 1
    assert [t for t, _ in page.tags].count("style") == 1
    assert "url(" not in "".join(page.blocks["style"])
    assert "@import" not in "".join(page.blocks["style"])
    assert "http://" not in out
    assert "https://" not in out
    assert "//" not in "".join(page.blocks["script"])


def test_csp_admits_exactly_the_inline_blocks(report: Report) -> None:
    _, page = parse(report)
    csp = next(
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    assert csp.startswith("default-src 'none';")
    for kind, directive in (("script", "script-src"), ("style", "style-src")):
        digest = base64.b64encode(
            hashlib.sha256("".join(page.blocks[kind]).encode()).digest()
        ).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def test_text_is_escaped(report: Report) -> None:
    out, page = parse(report)
    assert "<script>alert" not in out
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot; naïve ✓ 日本"
        in out
    )
    assert any("<script>alert('x')</script>" in t for t in page.text)  # shown as text


def test_hostile_attribute_values_stay_inside_the_attribute(report: Report) -> None:
    key = '"><script>x</script>'
    hostile = dataclasses.replace(
        report,
        sections={**report.sections, key: "t"},
        results=(dataclasses.replace(report.results[-1], section=key),),
    )
    _, page = parse(hostile)
    assert [t for t, _ in page.tags].count("script") == 1
    assert any(a.get("value") == key for t, a in page.tags if t == "input")


def test_filter_controls_for_every_section_and_outcome(report: Report) -> None:
    _, page = parse(report)
    inputs = [a for t, a in page.tags if t == "input"]
    sections = {a["value"] for a in inputs if a.get("data-filter") == "section"}
    outcomes = {a["value"] for a in inputs if a.get("data-filter") == "outcome"}
    assert sections == {"1", "2", "3", "4", "5", "6", "LC"}
    assert outcomes == {o.value for o in Outcome}
    rows = [a for t, a in page.tags if t == "tr" and "data-outcome" in a]
    assert {a["data-section"] for a in rows} == sections
    assert all(a["data-outcome"] in outcomes for a in rows)
    blocks = [a for t, a in page.tags if t == "section" and "data-section" in a]
    assert {a["data-section"] for a in blocks} == sections
    assert {a.get("data-preset") for t, a in page.tags if t == "button"} == {"problems", "all"}


def test_every_failing_check_shows_its_fix(report: Report) -> None:
    out, _ = parse(report)
    rows = re.findall(r'<tr data-section="[^"]*" data-outcome="(\w+)">(.*?)</tr>', out, re.S)
    failing = [body for outcome, body in rows if outcome in ("fail", "warn")]
    assert len(failing) == 4
    for body in failing:
        assert '<p class="fix"><strong>Fix (' in body
    erroring = next(
        body for outcome, body in rows if outcome == "error"
    )  # 5.26: a warn target under an error row
    assert "Fix (RT012)" in erroring
    passing = [body for outcome, body in rows if outcome in ("pass", "skip", "info", "manual")]
    assert not any("Fix (" in body for body in passing)


def test_evidence_per_target(report: Report) -> None:
    out, _ = parse(report)
    for r in report.results:
        if r.suppression is None:
            for e in r.evidence:
                assert f"<code>{html.escape(e, quote=True)}</code>" in out


def test_suppressed_results_hidden_unless_asked(report: Report) -> None:
    out, _ = parse(report)
    assert 'class="fail suppressed"' not in out
    assert "not shown (run with --show-suppressed" in out
    out, _ = parse(report, WriteOptions(show_suppressed=True))
    assert 'class="fail suppressed"' in out
    assert "Suppressed by .seawallignore:3" in out
    assert 'data-filter="suppressed"' in out


def test_incomplete_banner_and_errors(report: Report) -> None:
    out, _ = parse(report)
    assert 'class="banner incomplete"' in out
    assert "cannot list images: permission denied" in out
    assert '<section id="notes">' in out


def test_severity_filter(report: Report) -> None:
    out, page = parse(report, WriteOptions(min_severity=Severity.CRITICAL))
    rows = [a for t, a in page.tags if t == "tr" and "data-outcome" in a]
    assert len(rows) == 1
    hidden = sum(1 for r in report.results if r.severity < Severity.CRITICAL)
    assert f"{hidden} results below it not listed (still counted)" in out
    assert "Score 37.5%" in out  # the summary covers the whole report
