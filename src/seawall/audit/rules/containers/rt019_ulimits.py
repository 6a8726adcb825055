"""RT019: report per-container ulimit overrides (CIS Docker 1.6.0, 5.19; informational).

Whether an override is needed only the operator can say; this lists ``HostConfig.Ulimits`` or
states that the daemon's default ulimits apply.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, informational
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT019",
    title="Ulimit overrides of the container",
    severity=Severity.INFO,
    rationale=(
        "Per-container ulimits replace the daemon's defaults; they should exist only where a "
        "workload needs different limits, and should not lift limits without reason."
    ),
    remediation=(
        "Set sane defaults on the daemon (--default-ulimit) and override per container "
        "(--ulimit) only when needed."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.19",),
    tags=("resource-limits",),
    informational=True,
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Report the container's ulimit overrides (``name=soft:hard``)."""
    if not c.ulimits:
        return informational("no ulimit overrides: the daemon's default ulimits apply")
    return informational(f"{len(c.ulimits)} ulimit override(s)", *c.ulimits)
