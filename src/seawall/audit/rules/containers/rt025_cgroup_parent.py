"""RT025: a container's cgroup should be the default one unless deliberately chosen (CIS Docker 1.6.0, 5.25).

``warn`` when ``HostConfig.CgroupParent`` is set, naming it: a custom parent can escape the
limits Docker applies to its own cgroup tree, so it needs a human to confirm it.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, passed, warned
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT025",
    title="Container uses a custom cgroup parent",
    severity=Severity.LOW,
    rationale=(
        "Containers normally live under Docker's cgroup tree; a custom --cgroup-parent places "
        "one elsewhere, where the resource limits and accounting the operator expects may not "
        "apply."
    ),
    remediation="Remove --cgroup-parent unless the placement is intended and its limits are reviewed.",
    references=("CIS Docker Benchmark v1.6.0, 5.25",),
    tags=("resource-limits",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Warn when a custom cgroup parent is set."""
    if c.cgroup_parent:
        return warned(
            f"container uses custom cgroup parent {c.cgroup_parent}",
            f"HostConfig.CgroupParent={c.cgroup_parent}",
        )
    return passed("container uses the default cgroup parent")
