"""RT014: published ports should be bound to a specific host interface (CIS Docker 1.6.0, 5.14).

``fail`` when a published port listens on every host address: an empty host IP, ``0.0.0.0``
or ``::``. A container with no published ports passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import (
    is_all_interfaces,
    port_str,
    published_ports,
    unique,
)
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT014",
    title="Published port listens on all host interfaces",
    severity=Severity.MEDIUM,
    rationale=(
        "A port bound to every address is reachable on every network the host is attached to, "
        "including ones the service was never meant to face."
    ),
    remediation=(
        "Bind each published port to the address it should serve, e.g. -p 10.0.0.5:8080:80 or "
        "-p 127.0.0.1:8080:80."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.14",),
    tags=("network",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when a published port is bound to all interfaces."""
    ports = published_ports(c)
    if not ports:
        return passed("no published ports")
    wide = [p for p in ports if is_all_interfaces(p.host_ip)]
    if wide:
        shown = unique(port_str(p) for p in wide)
        return failed(
            f"{len(shown)} published port binding(s) listen on all host interfaces", *shown
        )
    return passed(
        "published ports are bound to specific addresses", *unique(port_str(p) for p in ports)
    )
