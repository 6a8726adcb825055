"""RT004: containers should not get capabilities beyond Docker's default set (CIS Docker 1.6.0, 5.4).

``fail`` for a privileged container (it holds every capability), for ``--cap-add ALL`` (which
wins over any ``--cap-drop``), and for added capabilities outside the default set; additions
inside the default set, or nothing added, ``pass``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import DEFAULT_CAPS
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT004",
    title="Container is granted extra Linux capabilities",
    severity=Severity.HIGH,
    rationale=(
        "Capabilities such as SYS_ADMIN, SYS_PTRACE, SYS_MODULE or NET_ADMIN give root in the "
        "container powers over the host kernel that enable escapes; the default set is already "
        "generous."
    ),
    remediation=(
        "Remove --cap-add entries the workload does not need; better, start from --cap-drop ALL "
        "and add back only what it uses."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.4",),
    tags=("least-privilege", "capabilities"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail on privileged, ``ALL``, or any added capability outside Docker's default set."""
    drops = tuple(f"CapDrop={cap}" for cap in c.cap_drop)
    if c.privileged:
        return failed("privileged container holds every capability", "HostConfig.Privileged=true")
    if "ALL" in c.cap_add:
        # moby's TweakCapabilities: cap-add ALL grants every capability except those dropped by
        # name; "--cap-drop ALL" does not cancel it.
        return failed("container adds ALL capabilities", "CapAdd=ALL", *drops)
    extra = sorted({cap for cap in c.cap_add if cap not in DEFAULT_CAPS})
    if extra:
        return failed(
            f"container adds capabilities beyond the default set: {', '.join(extra)}",
            *(f"CapAdd={cap}" for cap in extra),
        )
    if c.cap_add:
        return passed(
            "container adds only capabilities from Docker's default set",
            *(f"CapAdd={cap}" for cap in c.cap_add),
            *drops,
        )
    return passed("container adds no capabilities", *drops)
