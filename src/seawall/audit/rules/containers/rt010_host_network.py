"""RT010: a container must not join the host's network namespace (CIS Docker 1.6.0, 5.10).

``fail`` when ``HostConfig.NetworkMode`` is ``host``. Joining another container's namespace
(``container:<name>``) does not share the host's and passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT010",
    title="Container shares the host's network namespace",
    severity=Severity.HIGH,
    rationale=(
        "With the host's network namespace the container sees every host interface, can bind any "
        "host port, reach services listening on localhost and sniff or spoof host traffic (with "
        "NET_RAW)."
    ),
    remediation=(
        "Remove --network host; use a user-defined bridge network and publish only the needed "
        "ports."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.10",),
    tags=("isolation", "network"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container runs in the host's network namespace."""
    if c.network_mode == "host":
        return failed(
            "container shares the host's network namespace (--network host)",
            "HostConfig.NetworkMode=host",
        )
    return passed(
        "container does not share the host's network namespace",
        f"HostConfig.NetworkMode={c.network_mode or '(default)'}",
    )
