"""The table writer: grouped rows, details under rows, honest footer, safe and deterministic text."""

from __future__ import annotations

import dataclasses
import re

import pytest

from seawall.model import Report, Severity
from seawall.output import WriteOptions, get_writer

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def table(report: Report, **kw: object) -> str:
    """The table output for ``report`` with the given options."""
    return get_writer("table").write(report, WriteOptions(**kw))  # type: ignore[arg-type]


def test_sections_in_order_with_counts(report: Report) -> None:
    out = table(report)
    titles = re.findall(r"^(\S+)  (.+)$", out, re.M)
    assert [k for k, _ in titles if k in report.sections] == ["1", "2", "3", "4", "5", "6", "LC"]
    assert "2 checks: 1 fail · 1 manual" in out
    assert "1 check: 1 info" in out


def test_rows_and_details(report: Report) -> None:
    out = table(report, terminal_width=200)
    assert re.search(
        r"^ 5\.5 +Ensure that privileged containers are not used  \(RT005\) +critical +FAIL$",
        out,
        re.M,
    )
    assert re.search(
        r"↳ +container/web: container runs privileged — HostConfig\.Privileged=true +FAIL$",
        out,
        re.M,
    )
    assert re.search(r"↳ +container/db: could not read SecurityOpt: permission denied", out)
    assert "container/db: container is not privileged" not in out  # passes are not listed
    assert re.search(r"^ LC002 +Container is older than the allowed age +low +FAIL$", out, re.M)
    assert "Whether user namespaces suit the workloads needs a human decision." in out
    assert "docker.socket does not exist on this host" in out


def test_footer(report: Report) -> None:
    out = table(report)
    assert (
        "Summary: 3 pass · 4 fail · 1 warn · 1 info · 1 manual · 1 skip · 1 error   Score: 37.5%"
        in out
    )
    assert "2 checks deselected." in out
    assert "1 suppressed result not shown (use --show-suppressed to list them)." in out
    errors = out[out.index("Errors — the run is incomplete:") :]
    assert "engine unix:///var/run/docker.sock: cannot list images: permission denied" in errors
    assert "RT012 container/db: could not read SecurityOpt: permission denied" in errors
    assert "container/old disappeared during the audit" in out


def test_suppressed_hidden_unless_asked(report: Report) -> None:
    assert "container/legacy:" not in table(report)
    shown = table(report, show_suppressed=True, terminal_width=200)
    assert re.search(
        r"↳ +container/legacy: container runs privileged .* FAIL \(suppressed\)$", shown, re.M
    )
    assert "suppressed by .seawallignore:3: legacy CI runner needs it; tracked in OPS-12" in shown


def test_severity_filter_hides_rows_but_keeps_counts(report: Report) -> None:
    full, high = table(report), table(report, min_severity=Severity.HIGH)
    summary = (
        "Summary: 3 pass · 4 fail · 1 warn · 1 info · 1 manual · 1 skip · 1 error   Score: 37.5%"
    )
    assert summary in full
    assert summary in high
    for hidden in ("1.1.1", "LC002", "6.1", "2.9"):
        assert re.search(rf"^ {re.escape(hidden)} ", high, re.M) is None, hidden
    for shown in ("2.2", "5.5", "5.26"):
        assert re.search(rf"^ {re.escape(shown)} ", high, re.M), shown
    n = sum(1 for r in report.results if r.severity < Severity.HIGH)
    assert (
        f"Severity filter: showing high and above; {n} results below it not listed (still counted)."
        in high
    )
    # errors are not findings: listed whatever the filter
    assert "RT012 container/db: could not read SecurityOpt" in table(
        report, min_severity=Severity.CRITICAL
    )


def test_no_colour_means_no_escape_codes(report: Report) -> None:
    assert "\x1b" not in table(report)


def test_colour(report: Report) -> None:
    out = table(report, color=True)
    assert ANSI.search(out)
    assert "\x1b[1;31mFAIL" in out  # fail is bold red
    assert ANSI.sub("", out).splitlines()[0] == table(report).splitlines()[0]


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_width_is_respected(report: Report, width: int) -> None:
    out = table(report, terminal_width=width)
    assert max(len(line) for line in out.splitlines()) <= width
    assert not any(line != line.rstrip() for line in out.splitlines())


def test_markup_and_escape_sequences_print_literally(report: Report) -> None:
    r = dataclasses.replace(
        report.results[0], target="[bold]host[/bold]", message="esc\x1b[2J cleared \r back"
    )
    out = table(dataclasses.replace(report, results=(r,)), terminal_width=200)
    assert "[bold]host[/bold]" in out
    assert "\x1b" not in out
    assert "\r" not in out
    assert "esc\\x1b[2J cleared \\x0d back" in out


def test_long_target_lists_are_summarised(report: Report) -> None:
    many = dataclasses.replace(report, targets=tuple(f"container/c{i}" for i in range(20)))
    assert "Targets:   20 — container/c0, " in table(many, terminal_width=200)
    assert ", … and 12 more" in table(many, terminal_width=200)
