"""``seawall rules list`` / ``seawall rules show ID``: the rule catalogue, from the registry."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from seawall.audit.benchmark import load_benchmark
from seawall.audit.rules import RULES
from seawall.errors import UsageError
from seawall.model.rule import DOMAINS, RuleMeta
from seawall.model.serde import to_jsonable


def _controls() -> dict[str, tuple[str, ...]]:
    bench = load_benchmark("cis-1.6", frozenset(RULES.ids()))
    return {r: bench.items_for_rule(r) for r in RULES.ids()}


def _markdown(meta: RuleMeta, cis: tuple[str, ...]) -> str:
    refs = "".join(f"- {r}\n" for r in meta.references)
    return (
        f"## {meta.id}: {meta.title}\n\n"
        f"- Severity: {meta.severity.label}\n- Scope: {meta.scope}\n"
        f"- CIS Docker Benchmark v1.6.0: {', '.join(cis) or 'beyond CIS'}\n\n"
        f"**Why.** {meta.rationale}\n\n**Fix.** {meta.remediation}\n\n"
        + (f"**References**\n\n{refs}\n" if refs else "")
    )


@click.group()
def rules() -> None:
    """Show the rule catalogue (IDs, severities, CIS items, texts)."""


@rules.command("list")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
def list_rules(fmt: str) -> int:
    """List every audit rule."""
    cis = _controls()
    if fmt == "json":
        doc = [
            {**to_jsonable(r.meta), "severity": r.meta.severity.label, "cis": list(cis[r.id])}
            for r in RULES
        ]
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "markdown":
        click.echo(
            "# seawall audit rules\n\nGenerated from the rule registry (`seawall rules list --format markdown`).\n"
        )
        for r in RULES:
            click.echo(_markdown(r.meta, cis[r.id]))
    else:
        table = Table("ID", "CIS", "Severity", "Scope", "Title", title=f"{len(RULES)} audit rules")
        for r in RULES:
            table.add_row(
                r.id, ", ".join(cis[r.id]) or "-", r.meta.severity.label, r.meta.scope, r.meta.title
            )
        Console(width=140).print(table)
    return 0


@rules.command("show")
@click.argument("rule_id")
def show_rule(rule_id: str) -> int:
    """Show one rule: what it checks, why, and how to fix a failure."""
    cis = _controls()
    try:
        r = RULES.get(rule_id)
    except KeyError:
        raise UsageError(f"no rule {rule_id!r}", hint="see 'seawall rules list'") from None
    click.echo(f"{DOMAINS.get(r.meta.domain, '')}\n")
    click.echo(_markdown(r.meta, cis[r.id]).rstrip())
    return 0
