"""Property tests: any report, with any text in it, gives valid output in every format.

Text comes from the whole of Unicode plus the characters that break formats (control
characters, lone surrogates, U+FFFF, markup, quotes, CDATA ends), as container names, image
labels and file contents can carry any of them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from seawall.model import (
    Control,
    Location,
    Outcome,
    Report,
    Result,
    RuleMeta,
    RunError,
    Severity,
    Suppression,
    ToolInfo,
)
from seawall.model.rule import RuleId
from seawall.output import WriteOptions, get_writer
from tests.output.test_html import Page
from tests.output.test_json import VALIDATOR as JSON_VALIDATOR
from tests.output.test_sarif import VALIDATOR as SARIF_VALIDATOR

NASTY = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r",
    "\n",
    "\ud800",
    "\udfff",
    "\uffff",
    "<script>",
    "</td>",
    "&amp;",
    '"',
    "'",
    "]]>",
    "--",
    "`",
    "*_",
    "%",
    "#",
    "?",
    " ",
]
TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=12).map("".join)
RULE_IDS = ["HO001", "DM002", "RT005", "LC001", "SO003"]


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """A random but well-typed report."""
    rules = tuple(
        RuleMeta(
            RuleId(rid),
            draw(TEXT) or rid,
            draw(st.sampled_from(Severity)),
            "host",
            draw(TEXT),
            draw(TEXT),
            references=tuple(draw(st.lists(TEXT, max_size=2))),
            tags=tuple(draw(st.lists(TEXT, max_size=2))),
        )
        for rid in draw(st.lists(st.sampled_from(RULE_IDS), unique=True, max_size=5))
    )
    sections = draw(st.dictionaries(TEXT, TEXT, max_size=3))
    results = []
    for _ in range(draw(st.integers(0, 8))):
        outcome = draw(st.sampled_from(Outcome))
        sup = (
            None
            if outcome is Outcome.ERROR
            else draw(st.none() | st.builds(Suppression, TEXT, TEXT, st.none() | TEXT))
        )
        loc = draw(st.none() | st.builds(Location, TEXT, st.none() | st.integers(1, 10_000)))
        results.append(
            Result(
                draw(st.sampled_from(RULE_IDS)),
                draw(TEXT),
                outcome,
                draw(TEXT),
                draw(st.sampled_from(Severity)),
                section=draw(st.sampled_from([*sections, "", "LC"])),
                evidence=tuple(draw(st.lists(TEXT, max_size=3))),
                location=loc,
                reason=draw(st.none() | TEXT),
                suppression=sup,
            )
        )
    controls = tuple(
        Control(
            draw(TEXT),
            draw(TEXT),
            draw(st.sampled_from([*sections, "5"])),
            "automated",
            tuple(draw(st.lists(st.sampled_from(RULE_IDS), max_size=2))),
            draw(st.sampled_from(Outcome)),
            draw(st.none() | TEXT),
        )
        for _ in range(draw(st.integers(0, 4)))
    )
    return Report(
        tool=ToolInfo("seawall", "0.1.0", draw(TEXT)),
        generated_at=draw(TEXT),
        rules=rules,
        results=tuple(results),
        controls=controls,
        errors=tuple(draw(st.lists(st.builds(RunError, TEXT, TEXT), max_size=2))),
        benchmark=draw(st.none() | TEXT),
        targets=tuple(draw(st.lists(TEXT, max_size=3))),
        deselected=tuple(draw(st.lists(TEXT, max_size=2))),
        sections=sections,
        notes=tuple(draw(st.lists(TEXT, max_size=2))),
    )


OPTIONS = st.builds(
    WriteOptions,
    st.sampled_from(Severity),
    st.booleans(),
    st.booleans(),
    st.none() | st.integers(20, 200),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(reports(), OPTIONS)
def test_json_always_validates(report: Report, options: WriteOptions) -> None:
    out = get_writer("json").write(report, options)
    out.encode("utf-8")
    JSON_VALIDATOR.validate(json.loads(out))


@FAST
@given(reports(), OPTIONS)
def test_sarif_always_validates(report: Report, options: WriteOptions) -> None:
    out = get_writer("sarif").write(report, options)
    out.encode("utf-8")
    SARIF_VALIDATOR.validate(json.loads(out))


@FAST
@given(reports(), OPTIONS)
def test_junit_always_parses(report: Report, options: WriteOptions) -> None:
    out = get_writer("junit").write(report, options)
    root = ET.fromstring(out.encode("utf-8"))
    keys = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(keys) == len(set(keys))
    assert int(root.get("tests", "-1")) == len(keys)


@FAST
@given(reports(), OPTIONS)
def test_html_never_gains_markup(report: Report, options: WriteOptions) -> None:
    out = get_writer("html").write(report, options)
    out.encode("utf-8")
    page = Page()
    page.feed(out)
    page.close()
    assert not page.problems
    assert not page.stack
    assert [t for t, _ in page.tags].count("script") == 1
    for _, attrs in page.tags:
        for name in ("src", "href"):
            assert attrs.get(name) is None or str(attrs[name]).startswith("#")


@FAST
@given(reports(), OPTIONS)
def test_table_never_emits_foreign_control_characters(
    report: Report, options: WriteOptions
) -> None:
    out = get_writer("table").write(report, options)
    out.encode("utf-8")
    stray = {c for c in out if (ord(c) < 32 and c not in "\n\x1b") or 0x7F <= ord(c) < 0xA0}
    assert not stray
    if not options.color:
        assert "\x1b" not in out
