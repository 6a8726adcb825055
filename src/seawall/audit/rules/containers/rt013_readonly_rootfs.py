"""RT013: a container's root filesystem should be read-only (CIS Docker 1.6.0, 5.13).

``fail`` when ``HostConfig.ReadonlyRootfs`` is false.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT013",
    title="Container root filesystem is writable",
    severity=Severity.MEDIUM,
    rationale=(
        "A read-only root filesystem stops an attacker from dropping tools or altering the "
        "application's binaries and configuration, and makes writes explicit (volumes, tmpfs)."
    ),
    remediation=(
        "Start the container with --read-only and give it volumes or --tmpfs mounts only for "
        "the paths it must write."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.13",),
    tags=("immutability",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the root filesystem is writable."""
    if not c.readonly_rootfs:
        return failed("container root filesystem is writable", "HostConfig.ReadonlyRootfs=false")
    return passed("container root filesystem is read-only", "HostConfig.ReadonlyRootfs=true")
