"""Run audit rules over facts: every selected rule against every target of its scope.

Pure: facts in, results out. A rule that raises is reported as ``error`` for that target
(a bug in seawall must never hide the rest of the audit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from seawall.audit.benchmark import Benchmark
from seawall.audit.model import AuditRule, Scope, Verdict, Verdicts
from seawall.audit.select import Selection
from seawall.facts import AuditFacts
from seawall.model import Control, Location, Outcome, Result

#: Section key for rules beyond the benchmark (lifecycle and future extras).
EXTRA_SECTION = "LC"
EXTRA_SECTION_TITLE = "Lifecycle (beyond CIS)"


def _as_list(v: Verdicts) -> Sequence[Verdict]:
    return (v,) if isinstance(v, Verdict) else v


def _evaluate(rule: AuditRule, facts: AuditFacts) -> Iterable[tuple[str, Location | None, Verdict]]:
    scope = Scope(rule.meta.scope)
    engine = facts.engine
    if scope in (Scope.HOST, Scope.DAEMON, Scope.SWARM):
        default_target = {Scope.HOST: "host", Scope.DAEMON: "daemon", Scope.SWARM: "swarm"}[scope]
        default_loc = {
            Scope.HOST: Location(facts.host.root),
            Scope.DAEMON: Location(f"docker://daemon/{facts.daemon.endpoint}"),
            Scope.SWARM: Location("docker://swarm"),
        }[scope]
        for v in _safe(rule, lambda: rule.check(facts)):
            yield v.target or default_target, v.location or default_loc, v
        return
    if engine is None:
        reason = f"engine not reachable: {facts.engine_error or 'unknown error'}"
        yield "engine", None, Verdict(Outcome.ERROR, reason, reason=reason)
        return
    if scope is Scope.IMAGE:
        if not engine.images:
            yield (
                "engine",
                None,
                Verdict(
                    Outcome.SKIP, "no images on this engine", reason="no images on this engine"
                ),
            )
        for img in engine.images:
            for v in _safe(rule, lambda img=img: rule.check(img, facts)):
                yield v.target or img.ref, v.location or Location(img.uri), v
        return
    if not engine.containers:
        yield (
            "engine",
            None,
            Verdict(Outcome.SKIP, "no containers to audit", reason="no containers to audit"),
        )
    for c in engine.containers:
        for v in _safe(rule, lambda c=c: rule.check(c, facts)):
            yield v.target or c.ref, v.location or Location(c.uri), v


def _safe(rule: AuditRule, call: object) -> Sequence[Verdict]:
    try:
        return _as_list(call())  # type: ignore[operator]
    except Exception as exc:
        reason = f"internal error in {rule.id}: {type(exc).__name__}: {exc}"
        return (Verdict(Outcome.ERROR, reason, reason=reason),)


def run_rules(
    rules: Iterable[AuditRule], facts: AuditFacts, benchmark: Benchmark
) -> tuple[Result, ...]:
    """Evaluate each rule against its targets and return results in rule order."""
    results: list[Result] = []
    for rule in rules:
        controls = benchmark.items_for_rule(rule.id)
        section = controls[0].split(".", 1)[0] if controls else EXTRA_SECTION
        for target, loc, v in _evaluate(rule, facts):
            outcome = v.outcome
            # Informational items report facts: a successful evaluation is ``info``, not ``pass``.
            if rule.meta.informational and outcome is Outcome.PASS:
                outcome = Outcome.INFO
            results.append(
                Result(
                    rule_id=rule.id,
                    target=target,
                    outcome=outcome,
                    message=v.message,
                    severity=rule.meta.severity,
                    section=section,
                    controls=controls,
                    evidence=v.evidence,
                    location=loc,
                    reason=v.reason,
                )
            )
    return tuple(results)


def build_controls(
    benchmark: Benchmark, results: Sequence[Result], selection: Selection
) -> tuple[Control, ...]:
    """One row per selected benchmark item: worst unsuppressed outcome of its rules' results."""
    by_rule: dict[str, list[Result]] = {}
    for r in results:
        by_rule.setdefault(r.rule_id, []).append(r)
    rows = []
    for item in benchmark.items:
        if not selection.item_selected(item):
            continue
        if item.manual:
            rows.append(
                Control(
                    item.id,
                    item.title,
                    item.section,
                    item.assessment,
                    (),
                    Outcome.MANUAL,
                    item.manual,
                )
            )
            continue
        relevant = [r for rid in item.rules for r in by_rule.get(rid, []) if r.suppression is None]
        if not relevant:
            outcome = Outcome.PASS if any(by_rule.get(rid) for rid in item.rules) else Outcome.SKIP
        else:
            outcome = max((r.outcome for r in relevant), key=lambda o: o.rank)
        # A rule may itself conclude "manual" (e.g. 4.2 without an allow-list): carry its reason.
        reason = next((r.reason for r in relevant if r.outcome is Outcome.MANUAL), None)
        rows.append(
            Control(item.id, item.title, item.section, item.assessment, item.rules, outcome, reason)
        )
    return tuple(rows)
