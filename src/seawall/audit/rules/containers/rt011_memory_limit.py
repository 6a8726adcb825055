"""RT011: every container should have a memory limit (CIS Docker 1.6.0, 5.11).

``fail`` when ``HostConfig.Memory`` is 0 (unlimited).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT011",
    title="Container has no memory limit",
    severity=Severity.MEDIUM,
    rationale=(
        "Without a memory limit one container can exhaust the host's memory, starving other "
        "containers and host services and triggering the kernel's OOM killer on them."
    ),
    remediation="Start the container with a memory limit sized for the workload (e.g. --memory 512m).",
    references=("CIS Docker Benchmark v1.6.0, 5.11",),
    tags=("resource-limits",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container's memory is unlimited."""
    if c.memory <= 0:
        return failed("container has no memory limit", "HostConfig.Memory=0")
    return passed(f"memory limited to {c.memory} bytes", f"HostConfig.Memory={c.memory}")
