"""RT001: swarm mode should be off unless the host is meant to be a swarm node (CIS Docker 1.6.0, 5.1).

Reads ``Swarm.LocalNodeState`` from the engine's ``/info``. A node that is part of a swarm
(active, locked, or still joining) is a ``warn``: only the operator knows whether it is needed.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, passed, swarm_rule, warned
from seawall.audit.rules._engine import unreachable
from seawall.facts import AuditFacts
from seawall.model import Severity

# "locked" is an active manager whose raft keys are encrypted; "pending" is joining one.
_IN_SWARM = frozenset({"active", "locked", "pending"})


@swarm_rule(
    id="RT001",
    title="Swarm mode is enabled",
    severity=Severity.MEDIUM,
    rationale=(
        "A swarm node opens cluster management and gossip ports (2377, 7946, 4789) and runs "
        "extra services; on a host that does not need orchestration that is attack surface for "
        "nothing."
    ),
    remediation=(
        "If this host does not need to be a swarm node, leave the swarm: "
        "`docker swarm leave` (add --force on the last manager)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.1",),
    tags=("attack-surface", "swarm"),
)
def check(facts: AuditFacts) -> Verdict:
    """Warn when the engine reports that this node is part of a swarm."""
    if facts.engine is None:
        return unreachable(facts)
    swarm = facts.engine.info.get("Swarm")
    if not isinstance(swarm, dict):
        return errored("the engine's /info response has no Swarm section")
    state = str(swarm.get("LocalNodeState") or "inactive")
    if state in _IN_SWARM:
        return warned(
            f"swarm mode is enabled (node state {state})", f"Swarm.LocalNodeState={state}"
        )
    return passed("swarm mode is not enabled", f"Swarm.LocalNodeState={state}")
