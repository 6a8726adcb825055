"""``table``: the readable report for a terminal, rendered with rich.

One table per section, one row per benchmark control (or per rule no control covers), with the
failing, warning and erroring targets listed under their row. The footer carries the summary
counts and score, deselected and suppressed counts, notes and errors. Every piece of report
text goes through ``clean`` and ``rich.text.Text`` (never console markup), so a container
named ``[bold]x`` or holding an escape sequence prints literally.
"""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from seawall.model import Outcome, Report, Result, Severity
from seawall.output.base import WriteOptions, writer
from seawall.output.view import Row, SectionView, build_view, clean, evidence_line, is_problem

DEFAULT_WIDTH = 120
#: How many target names the header lists before summarising the rest.
MAX_TARGETS_SHOWN = 8

OUTCOME_STYLE: dict[Outcome, str] = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.WARN: "yellow",
    Outcome.INFO: "blue",
    Outcome.MANUAL: "magenta",
    Outcome.SKIP: "dim",
    Outcome.ERROR: "bold white on red",
}
SEVERITY_STYLE: dict[Severity, str] = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def pinned_console(file: StringIO, width: int, *, color: bool) -> Console:
    """A rich console writing to ``file`` with nothing detected from the environment.

    Everything rich would otherwise detect is pinned, so the same input and options always
    give the same bytes (the inventory tables use it too).
    """
    return Console(
        file=file,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def _console(options: WriteOptions, file: StringIO) -> Console:
    return pinned_console(file, options.terminal_width or DEFAULT_WIDTH, color=options.color)


def _outcome(outcome: Outcome, suffix: str = "") -> Text:
    return Text(outcome.value.upper() + suffix, style=OUTCOME_STYLE[outcome])


def _header(report: Report) -> RenderableType:
    lines = [
        Text(
            f"{clean(report.tool.name)} {clean(report.tool.version)} — {clean(report.tool.command)} report",
            style="bold",
        )
    ]
    if report.benchmark:
        lines.append(Text(f"Benchmark: {clean(report.benchmark)}"))
    lines.append(Text(f"Generated: {clean(report.generated_at)}"))
    if report.targets:
        shown = ", ".join(clean(t) for t in report.targets[:MAX_TARGETS_SHOWN])
        rest = len(report.targets) - MAX_TARGETS_SHOWN
        more = f", … and {rest} more" if rest > 0 else ""
        lines.append(Text(f"Targets:   {len(report.targets)} — {shown}{more}"))
    return Group(*lines, Text(""))


def _counts_text(counts: dict[Outcome, int], *, skip_zero: bool) -> Text:
    text = Text()
    parts = [(o, n) for o, n in counts.items() if n or not skip_zero]
    for i, (o, n) in enumerate(parts):
        if i:
            text.append(" · ")
        text.append(f"{n} {o.value}", style=OUTCOME_STYLE[o] if n else "")
    return text


def _title_cell(row: Row) -> Text:
    text = Text(clean(row.title))
    if row.is_control and row.rule_ids:
        text.append(f"  ({', '.join(row.rule_ids)})", style="dim")
    if row.note:
        text.append(f"\n{clean(row.note)}", style="dim italic")
    return text


def _detail_cell(result: Result) -> Text:
    text = Text()
    text.append(clean(result.target), style="bold")
    text.append(f": {clean(evidence_line(result))}")
    if result.suppression is not None:
        sup = result.suppression
        text.append(f"\nsuppressed by {clean(sup.source)}: {clean(sup.justification)}", style="dim")
    return text


def _section_table(section: SectionView) -> Table:
    rows = len(section.rows)
    caption = Text(f"{rows} check{'s' if rows != 1 else ''}: ")
    caption.append_text(_counts_text(section.counts(), skip_zero=True))
    table = Table(
        title=Text(f"{clean(section.key)}  {clean(section.title)}", style="bold"),
        title_justify="left",
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=True,
    )
    table.add_column("ID", no_wrap=True)
    table.add_column("Check", ratio=1, overflow="fold")
    table.add_column("Severity", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    for row in section.rows:
        sev = (
            Text(row.severity.label, style=SEVERITY_STYLE[row.severity])
            if row.severity is not None
            else Text("—")
        )
        table.add_row(Text(clean(row.id)), _title_cell(row), sev, _outcome(row.outcome))
        for r in row.results:
            if is_problem(r) or r.suppression is not None:
                mark = " (suppressed)" if r.suppression is not None else ""
                # The arrow sits in the ID column: wrapped lines align under the check text.
                table.add_row(Text("  ↳"), _detail_cell(r), "", _outcome(r.outcome, mark))
    return table


def _bullets(title: str, items: list[str], style: str = "") -> list[Text]:
    out = [Text(title, style=style or "bold")]
    out += [Text(f"  - {clean(i)}") for i in items]
    return out


def _footer(report: Report, hidden_results: int, options: WriteOptions) -> RenderableType:
    summary = report.summary()
    line = Text()
    line.append("Summary: ", style="bold")
    line.append_text(_counts_text({o: summary.counts[o.value] for o in Outcome}, skip_zero=False))
    line.append(f"   Score: {summary.score:.1f}%", style="bold")
    parts: list[RenderableType] = [
        line,
        Text("Counts are per target over the whole report.", style="dim"),
    ]
    if options.filtering:
        parts.append(
            Text(
                f"Severity filter: showing {options.min_severity.label} and above; "
                f"{hidden_results} result{'s' if hidden_results != 1 else ''} below it not listed (still counted)."
            )
        )
    if summary.deselected:
        parts.append(
            Text(f"{summary.deselected} check{'s' if summary.deselected != 1 else ''} deselected.")
        )
    if summary.suppressed:
        n = summary.suppressed
        verb = (
            "listed, marked (suppressed)"
            if options.show_suppressed
            else "not shown (use --show-suppressed to list them)"
        )
        parts.append(Text(f"{n} suppressed result{'s' if n != 1 else ''} {verb}."))
    if report.notes:
        parts += _bullets("Notes:", list(report.notes))
    errors = [f"{e.source}: {e.message}" for e in report.errors]
    errors += [
        f"{r.rule_id} {r.target}: {r.reason or r.message}"
        for r in report.results
        if r.outcome is Outcome.ERROR
    ]
    if errors:
        parts += _bullets("Errors — the run is incomplete:", errors, style="bold red")
    return Group(*parts)


@writer(
    name="table",
    media_type="text/plain",
    extension=".txt",
    description="Readable tables per benchmark section with a summary (the terminal default).",
)
def write_table(report: Report, options: WriteOptions) -> str:
    """Render the report as rich tables; ANSI colours only when ``options.color``."""
    buf = StringIO()
    console = _console(options, buf)
    view = build_view(report, options.min_severity, suppressed=options.show_suppressed)
    console.print(_header(report))
    if not view.sections:
        console.print(Text("No results to show.", style="dim"))
    for section in view.sections:
        console.print(_section_table(section))
        console.print()
    console.print(_footer(report, view.hidden_results, options))
    # rich pads every line to the full width; trailing blanks only get in the way of pipes.
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
