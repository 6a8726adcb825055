"""RT005: containers must not run privileged (CIS Docker 1.6.0, 5.5)."""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT005",
    title="Container runs in privileged mode",
    severity=Severity.CRITICAL,
    rationale=(
        "A privileged container gets every capability, all host devices and no seccomp or "
        "AppArmor confinement: root inside it is root on the host."
    ),
    remediation=(
        "Remove --privileged; grant only the capabilities and devices the workload needs "
        "(--cap-add, --device)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.5",),
    tags=("least-privilege",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when HostConfig.Privileged is set."""
    if c.privileged:
        return failed("container runs privileged", "HostConfig.Privileged=true")
    return passed("container is not privileged")
