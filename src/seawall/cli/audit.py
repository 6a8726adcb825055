"""``seawall audit``: the CIS Docker Benchmark and lifecycle checks on a live host or a snapshot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from seawall.audit.benchmark import load_benchmark
from seawall.audit.report import AuditPlan, build_report
from seawall.audit.rules import RULES
from seawall.audit.select import select
from seawall.cli.exitcode import decide_exit
from seawall.cli.options import SEVERITY, emit_text, parse_now, split_csv, want_color
from seawall.cli.progress import progress_reporter
from seawall.docker.client import default_endpoint
from seawall.docker.collect import EngineOptions
from seawall.errors import UsageError
from seawall.facts import AuditFacts, AuditSettings
from seawall.facts.gather import GatherOptions, gather
from seawall.facts.snapshot import load_facts, save_facts
from seawall.inventory.cache import default_cache_dir
from seawall.model import Report
from seawall.output import WRITERS, WriteOptions, get_writer
from seawall.suppress.ignorefile import load_ignore

DEFAULT_IGNORE = ".seawallignore"


def _facts(opts: dict[str, object], settings: AuditSettings, now: datetime) -> AuditFacts:
    if opts["from_facts"]:
        return load_facts(str(opts["from_facts"]))
    gopts = GatherOptions(
        endpoint=str(opts["host"]),
        host_root=str(opts["host_root"]),
        daemon_config=str(opts["daemon_config"]) if opts["daemon_config"] else None,
        timeout=float(opts["timeout"]),  # type: ignore[arg-type]
        engine=EngineOptions(
            include=split_csv(opts["containers"]),  # type: ignore[arg-type]
            exclude=split_csv(opts["exclude_containers"]),  # type: ignore[arg-type]
            image_files=bool(opts["image_files"]),
            workers=int(opts["workers"]),  # type: ignore[call-overload]
            cache_dir=None if opts["no_cache"] else str(opts["cache_dir"] or default_cache_dir()),
        ),
    )
    with progress_reporter() as progress:
        return gather(gopts, settings, now, progress)


def _plan(opts: dict[str, object]) -> AuditPlan:
    bench = load_benchmark(str(opts["benchmark"]), frozenset(RULES.ids()))
    selection = select(bench, RULES.ids(), split_csv(opts["checks"]), split_csv(opts["skip"]))  # type: ignore[arg-type]
    ignore_path = opts["ignore_file"] or (
        DEFAULT_IGNORE if Path(DEFAULT_IGNORE).is_file() else None
    )
    ignores = load_ignore(str(ignore_path)) if ignore_path else ()
    return AuditPlan(RULES, bench, selection, ignores, str(ignore_path or DEFAULT_IGNORE))


def _emit(report: Report, opts: dict[str, object]) -> None:
    fmt = str(opts["format"])
    out = opts["output"]
    text = get_writer(fmt).write(
        report,
        WriteOptions(
            min_severity=opts["severity"],  # type: ignore[arg-type]
            show_suppressed=bool(opts["show_suppressed"]),
            color=want_color(out),
            terminal_width=None,
        ),
    )
    emit_text(text, str(out) if out else None)
    for err in report.errors:
        click.echo(f"seawall: error: {err.source}: {err.message}", err=True)
    for note in report.notes:
        click.echo(f"seawall: note: {note}", err=True)


@click.command()
@click.option(
    "-H",
    "--host",
    default=default_endpoint,
    show_default="$DOCKER_HOST or unix:///var/run/docker.sock",
    help="Engine endpoint to audit (unix:///path or tcp://host:port).",
)
@click.option(
    "--host-root",
    default="/",
    show_default=True,
    envvar="SEAWALL_HOST_ROOT",
    type=click.Path(file_okay=False),
    help="Read host files under this root (live /proc and auditctl only when it is /).",
)
@click.option(
    "--daemon-config",
    type=click.Path(dir_okay=False),
    help="daemon.json to use (default: the daemon's --config-file, else /etc/docker/daemon.json).",
)
@click.option(
    "--benchmark",
    default="cis-1.6",
    show_default=True,
    help="Benchmark ID or path to a benchmark YAML.",
)
@click.option(
    "-f",
    "--format",
    "format",
    default="table",
    show_default=True,
    envvar="SEAWALL_FORMAT",
    type=click.Choice(
        [w.name for w in WRITERS if w.name in ("table", "json", "sarif", "junit", "html")]
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "-c",
    "--checks",
    multiple=True,
    help="Only these: rule IDs, globs (RT0*), CIS items (5.5) or sections (5). Repeatable, comma-separated.",
)
@click.option("-s", "--skip", multiple=True, help="Leave these out (same forms as --checks).")
@click.option(
    "--containers", multiple=True, help="Only containers matching NAME-GLOB or label=KEY[=VALUE]."
)
@click.option(
    "--exclude-containers",
    multiple=True,
    help="Leave out containers matching NAME-GLOB or label=KEY[=VALUE].",
)
@click.option(
    "--severity",
    type=SEVERITY,
    default="info",
    show_default=True,
    envvar="SEAWALL_SEVERITY",
    help="Show results of rules at or above this severity (does not change the exit code).",
)
@click.option(
    "--fail-on",
    type=SEVERITY,
    default="low",
    show_default=True,
    envvar="SEAWALL_FAIL_ON",
    help="Exit with --exit-code when an unsuppressed fail/warn is at or above this severity.",
)
@click.option(
    "--exit-code",
    type=click.IntRange(0, 255),
    default=1,
    show_default=True,
    envvar="SEAWALL_EXIT_CODE",
    help="Exit code for findings (0: never fail on findings).",
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False),
    envvar="SEAWALL_IGNORE_FILE",
    help="Suppressions file (default: ./.seawallignore when present).",
)
@click.option(
    "--show-suppressed", is_flag=True, help="Show suppressed results in the table and HTML."
)
@click.option(
    "--save-facts",
    type=click.Path(dir_okay=False),
    help="Save the collected facts to FILE (replay with --from-facts).",
)
@click.option(
    "--from-facts",
    type=click.Path(dir_okay=False),
    help="Audit a saved snapshot; no engine or host access.",
)
@click.option(
    "--container-max-age",
    type=click.IntRange(1),
    default=30,
    show_default=True,
    help="Days before a container is too old (LC002).",
)
@click.option(
    "--image-max-age",
    type=click.IntRange(1),
    default=90,
    show_default=True,
    help="Days before an image is too old (LC003).",
)
@click.option(
    "--allowed-registries",
    multiple=True,
    help="Registries (host[:port] or host/path prefix) images may come from (IM002, LC005).",
)
@click.option(
    "--image-files/--no-image-files",
    default=True,
    show_default=True,
    help="Stream image exports to find setuid/setgid files (CIS 4.8).",
)
@click.option(
    "--cache-dir",
    envvar="SEAWALL_CACHE_DIR",
    type=click.Path(file_okay=False),
    help="Cache of per-image setuid/setgid results (default: $XDG_CACHE_HOME/seawall).",
)
@click.option("--no-cache", is_flag=True, help="Export and scan every image again.")
@click.option(
    "--timeout",
    type=click.FloatRange(1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for each engine call.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Concurrent engine calls.",
)
@click.option(
    "--now", envvar="SEAWALL_NOW", help="Report clock (ISO 8601), for reproducible reports."
)
def audit(**opts: object) -> int:
    """Audit a Docker host against the CIS Docker Benchmark plus lifecycle checks.

    Reads host files, the daemon serving --host (found from the socket itself), every image and
    every container (running or stopped) in one pass. Exit 2 when anything could not be read.
    """
    now = parse_now(opts["now"])  # type: ignore[arg-type]
    if opts["from_facts"] and opts["save_facts"]:
        raise UsageError("--from-facts and --save-facts cannot be combined")
    plan = _plan(opts)
    regs = split_csv(opts["allowed_registries"])  # type: ignore[arg-type]
    settings = AuditSettings(
        container_max_age_days=int(opts["container_max_age"]),  # type: ignore[call-overload]
        image_max_age_days=int(opts["image_max_age"]),  # type: ignore[call-overload]
        allowed_registries=regs or None,
    )
    facts = _facts(opts, settings, now)
    if opts["save_facts"]:
        save_facts(facts, str(opts["save_facts"]))
    report = build_report(facts, plan, now.strftime("%Y-%m-%dT%H:%M:%SZ"), now.date())
    _emit(report, opts)
    return decide_exit(report, opts["fail_on"], int(opts["exit_code"]))  # type: ignore[arg-type,call-overload]
