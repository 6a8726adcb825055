"""RT018: host devices should not be passed into containers (CIS Docker 1.6.0, 5.18).

CIS calls this manual, but the engine records both ways of exposing devices: ``--device``
(``HostConfig.Devices``) and ``--device-cgroup-rule`` (``HostConfig.DeviceCgroupRules``). Any
entry fails and is listed for review. (A privileged container gets every device; RT005 reports
that.)
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT018",
    title="Host devices are exposed to the container",
    severity=Severity.MEDIUM,
    rationale=(
        "A host device node inside a container gives direct access to hardware or kernel "
        "interfaces (disks, memory, GPUs, USB); read/write access to a disk is access to the "
        "host's data."
    ),
    remediation=(
        "Remove --device and --device-cgroup-rule options the workload does not strictly need; "
        "for the rest grant the narrowest permissions (e.g. :r instead of :rwm)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.18",),
    tags=("isolation", "devices"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container has device mappings or device cgroup rules."""
    evidence = (
        *(f"device {d}" for d in c.devices),
        *(f"device cgroup rule {r}" for r in c.device_cgroup_rules),
    )
    if evidence:
        parts = []
        if c.devices:
            parts.append(f"{len(c.devices)} host device(s)")
        if c.device_cgroup_rules:
            parts.append(f"{len(c.device_cgroup_rules)} device cgroup rule(s)")
        return failed(f"container is given {' and '.join(parts)}", *evidence)
    return passed("no host devices are exposed")
