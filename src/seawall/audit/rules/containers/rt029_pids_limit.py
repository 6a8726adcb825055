"""RT029: every container should have a PIDs limit (CIS Docker 1.6.0, 5.29).

``fail`` when ``HostConfig.PidsLimit`` is unset, 0 or negative (all mean unlimited).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT029",
    title="Container has no PIDs limit",
    severity=Severity.MEDIUM,
    rationale=(
        "Without a PIDs limit a fork bomb or runaway process in one container can exhaust the "
        "host's process table and take down every other workload."
    ),
    remediation="Start the container with --pids-limit set to what the workload needs (e.g. 100).",
    references=("CIS Docker Benchmark v1.6.0, 5.29",),
    tags=("resource-limits",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the number of processes is unlimited."""
    limit = c.pids_limit
    if limit is None or limit <= 0:
        shown = "null" if limit is None else str(limit)
        return failed("container has no PIDs limit", f"HostConfig.PidsLimit={shown}")
    return passed(f"PIDs limited to {limit}", f"HostConfig.PidsLimit={limit}")
