"""RT008: containers should not publish privileged host ports (below 1024) (CIS Docker 1.6.0, 5.8).

Any published host port from 1 to 1023 fails. An unassigned/random host port is fine.
Bindings recorded on a ``--network host`` container are discarded by dockerd and ignored.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import port_str, published_ports, unique
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

PRIVILEGED_PORT_LIMIT = 1024


@container_rule(
    id="RT008",
    title="Container publishes a privileged host port",
    severity=Severity.LOW,
    rationale=(
        "Ports below 1024 are reserved for services the host administrator runs; a container "
        "taking one can impersonate such a service (SSH, DNS, HTTP) to the network."
    ),
    remediation=(
        "Publish the service on a host port of 1024 or above (e.g. -p 8080:80), or put a proxy "
        "that the host administrator controls in front of it."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.8",),
    tags=("network",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when a published host port is below 1024."""
    low = [p for p in published_ports(c) if p.host_port and p.host_port < PRIVILEGED_PORT_LIMIT]
    if low:
        ports = ", ".join(unique(str(p.host_port) for p in low))
        plural = "s" if "," in ports else ""
        return failed(
            f"publishes privileged port{plural} {ports}", *unique(port_str(p) for p in low)
        )
    return passed("no privileged host port is published")
