"""RT030: containers should not use the default bridge network ``docker0`` (CIS Docker 1.6.0, 5.30).

CIS calls this manual, but the container's network settings answer it: network mode
``default``/``bridge`` or an attachment to the network named ``bridge`` fails. User-defined
networks, ``none`` and another container's namespace (``container:<name>``) pass. A container
on the host network does not use any bridge: that is RT010's finding, so this rule skips it.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed, skipped
from seawall.audit.rules.containers._common import short_id
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

#: The default bridge network's name; ``default`` is how ``docker create`` records it on Linux.
_DEFAULT_MODES = frozenset({"default", "bridge"})


@container_rule(
    id="RT030",
    title="Container uses the default bridge network",
    severity=Severity.LOW,
    rationale=(
        "On the default bridge every container can reach every other one (unless inter-container "
        "communication is disabled daemon-wide) and there is no name-based service discovery or "
        "per-application isolation; user-defined networks give both."
    ),
    remediation=(
        "Create a network per application (docker network create app) and attach the container "
        "to it with --network app."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.30",),
    tags=("network", "isolation"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container is on the default bridge."""
    if c.network_mode == "host":
        return skipped("container uses the host network, not a bridge (reported by RT010)")
    evidence = []
    if c.network_mode in _DEFAULT_MODES:
        evidence.append(f"HostConfig.NetworkMode={c.network_mode}")
    if "bridge" in c.networks:
        evidence.append("attached to network bridge")
    if evidence:
        return failed("container uses the default bridge network (docker0)", *evidence)
    mode = c.network_mode
    if mode.startswith("container:"):
        mode = "container:" + short_id(mode.partition(":")[2])
    shown = ", ".join(c.networks) or mode or "(none)"
    return passed(f"container does not use the default bridge ({shown})", f"networks: {shown}")
