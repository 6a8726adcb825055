"""SW009: separate management and data plane traffic (CIS Docker 1.6.0, 7.9), manual.

The separation is chosen at ``docker swarm init/join --data-path-addr``; the API reports the
node's advertise address (``Swarm.NodeAddr``) but not its data path address, so a human must
check it (the interfaces each node uses for ports 2377/7946 versus 4789/udp).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, manual, swarm_rule
from seawall.audit.rules.swarm._state import not_applicable, swarm_info
from seawall.facts import AuditFacts
from seawall.model import Severity


@swarm_rule(
    id="SW009",
    title="Swarm management and data plane traffic share an interface",
    severity=Severity.LOW,
    rationale=(
        "When cluster management and container traffic share an interface, heavy or hostile "
        "application traffic can starve the control plane, and the two cannot be monitored "
        "and filtered separately."
    ),
    remediation=(
        "Give nodes a dedicated interface for container traffic: docker swarm init/join "
        "--advertise-addr <management address> --data-path-addr <data address>."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.9",),
    tags=("swarm", "network", "manual"),
)
def check(facts: AuditFacts) -> Verdict:
    """Manual in an active swarm (the data path address is not reported); skip otherwise."""
    gate = not_applicable(facts)
    if gate is not None:
        return gate
    addr = swarm_info(facts).get("NodeAddr") or "unknown"
    return manual(
        f"the engine reports the management address ({addr}) but not the data path address; "
        "check the --data-path-addr each node joined with"
    )
