"""SO002: container sprawl (CIS Docker 1.6.0, 6.2), informational.

Reports how many containers exist, how many run and how many are stopped (created, exited,
dead). Stopped containers keep their writable layer, logs and configuration (including any
secrets passed in their environment) until they are removed.
"""

from __future__ import annotations

from collections import Counter

from seawall.audit.model import Verdict, daemon_rule, informational
from seawall.audit.rules._engine import engine_with
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="SO002",
    title="Container sprawl",
    severity=Severity.INFO,
    rationale=(
        "Stopped containers nobody removes keep their data, logs and configuration on disk and "
        "can be restarted with outdated images; a short list of containers is easier to keep "
        "patched and reviewed."
    ),
    remediation=(
        "Remove containers that are no longer needed (docker container prune, or docker rm), "
        "and start short-lived containers with --rm."
    ),
    references=("CIS Docker Benchmark v1.6.0, 6.2",),
    tags=("inventory",),
    informational=True,
)
def check(facts: AuditFacts) -> Verdict:
    """Report counts of containers: total, running and stopped (by state)."""
    engine = engine_with(facts, "containers", "containers could not be listed")
    if isinstance(engine, Verdict):
        return engine
    containers = engine.containers
    running = sum(1 for c in containers if c.running)
    stopped = len(containers) - running
    states = Counter(c.status or "unknown" for c in containers if not c.running)
    by_state = ", ".join(f"{state}={n}" for state, n in sorted(states.items()))
    return informational(
        f"{len(containers)} container(s): {running} running, {stopped} stopped",
        f"total={len(containers)}",
        f"running={running}",
        f"stopped={stopped}" + (f" ({by_state})" if by_state else ""),
    )
