"""Turn facts into a Report: select rules, evaluate, attach suppressions, build control rows.

Pure: facts, selection, ignore entries and the clock in; a Report out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seawall import __version__
from seawall.audit.benchmark import Benchmark
from seawall.audit.engine import EXTRA_SECTION, EXTRA_SECTION_TITLE, build_controls, run_rules
from seawall.audit.model import AuditRegistry
from seawall.audit.select import Selection
from seawall.facts import AuditFacts
from seawall.model import Report, RunError, ToolInfo
from seawall.suppress.ignorefile import IgnoreEntry, apply_ignores


@dataclass(frozen=True, slots=True)
class AuditPlan:
    """What to run and how to judge it."""

    rules: AuditRegistry
    benchmark: Benchmark
    selection: Selection
    ignores: tuple[IgnoreEntry, ...] = ()
    ignore_source: str = ".seawallignore"
    command: str = "audit"


def _errors_and_notes(facts: AuditFacts) -> tuple[list[RunError], list[str]]:
    errors: list[RunError] = []
    notes: list[str] = []
    if facts.engine is None:
        errors.append(
            RunError(f"engine {facts.daemon.endpoint}", facts.engine_error or "not reachable")
        )
    else:
        errors.extend(
            RunError(f"engine {part}", msg) for part, msg in sorted(facts.engine.errors.items())
        )
        notes.extend(
            f"{obj} disappeared during the audit and was not checked"
            for obj in facts.engine.vanished
        )
    if facts.daemon.config_error:
        errors.append(RunError("daemon.json", facts.daemon.config_error))
    if facts.daemon.process_error:
        notes.append(f"daemon process: {facts.daemon.process_error}")
    notes.extend(f"host {part}: {msg}" for part, msg in sorted(facts.host.errors.items()))
    return errors, notes


def build_report(facts: AuditFacts, plan: AuditPlan, generated_at: str, today: date) -> Report:
    """Evaluate the plan over the facts."""
    selected = [r for r in plan.rules if r.id in plan.selection.rule_ids]
    results = run_rules(selected, facts, plan.benchmark)
    results, expired = apply_ignores(results, plan.ignores, today, plan.ignore_source)
    controls = build_controls(plan.benchmark, results, plan.selection)
    errors, notes = _errors_and_notes(facts)
    sections = dict(plan.benchmark.sections)
    sections[EXTRA_SECTION] = EXTRA_SECTION_TITLE
    targets = sorted({r.target for r in results})
    return Report(
        tool=ToolInfo("seawall", __version__, plan.command),
        generated_at=generated_at,
        rules=tuple(r.meta for r in selected),
        results=results,
        controls=controls,
        errors=tuple(errors),
        benchmark=plan.benchmark.title,
        targets=tuple(targets),
        deselected=plan.selection.deselected,
        sections=sections,
        notes=tuple(notes) + expired,
    )
