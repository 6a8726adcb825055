"""RT009: list the ports a container publishes, for review (CIS Docker 1.6.0, 5.9; informational).

Whether a port is needed only the operator knows; this rule reports what is open.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, informational
from seawall.audit.rules.containers._common import port_str, published_ports, unique
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT009",
    title="Ports published by the container",
    severity=Severity.INFO,
    rationale=(
        "Every published port is reachable from outside the host; each should be one the "
        "workload needs."
    ),
    remediation=(
        "Publish only the ports the service needs with explicit -p mappings; avoid -P, which "
        "publishes every port the image exposes."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.9",),
    tags=("network",),
    informational=True,
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Report the published ports (or their absence)."""
    if c.network_mode == "host":
        return informational(
            "no published ports: the container uses the host network, its listening sockets "
            "are the host's",
            "NetworkMode=host",
        )
    ports = unique(port_str(p) for p in published_ports(c))
    if not ports:
        return informational("no published ports")
    return informational(f"{len(ports)} published port binding(s)", *ports)
