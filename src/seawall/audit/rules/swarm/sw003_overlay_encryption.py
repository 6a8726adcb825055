"""SW003: swarm overlay networks should be encrypted (CIS Docker 1.6.0, 7.3).

Read from ``GET /networks``: every network with ``Driver`` ``overlay`` (the ``ingress``
network included) must carry the ``encrypted`` option; the overlay driver turns IPsec on when
the key is present, whatever its value (``--opt encrypted`` sets it to ``""``). A worker lists
only the overlay networks its tasks use, so audit a manager for the full picture.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, failed, passed, swarm_rule
from seawall.audit.rules.swarm._state import active_engine
from seawall.facts import AuditFacts
from seawall.model import Severity


@swarm_rule(
    id="SW003",
    title="Swarm overlay network is not encrypted",
    severity=Severity.MEDIUM,
    rationale=(
        "Traffic between containers on different nodes crosses the hosts' network in VXLAN "
        "packets; without the encrypted option anyone on that network can read and inject it."
    ),
    remediation=(
        "Create overlay networks with --opt encrypted (docker network create -d overlay "
        "--opt encrypted NAME); networks cannot be changed in place, so recreate them (the "
        "ingress network too: docker network create --ingress -d overlay --opt encrypted)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.3",),
    tags=("swarm", "network", "encryption"),
)
def check(facts: AuditFacts) -> Verdict | list[Verdict]:
    """One verdict per overlay network: fail when its Options lack ``encrypted``."""
    engine = active_engine(facts)
    if isinstance(engine, Verdict):
        return engine
    if "networks" in engine.errors:
        return errored(f"networks could not be listed: {engine.errors['networks']}")
    overlays = [n for n in engine.networks if n.get("Driver") == "overlay"]
    if not overlays:
        return passed("no overlay networks")
    out = []
    for net in overlays:
        name = str(net.get("Name") or net.get("Id", "")[:12])
        raw_options = net.get("Options")
        options: dict[str, object] = raw_options if isinstance(raw_options, dict) else {}
        kind = "ingress network" if net.get("Ingress") else "overlay network"
        target = f"network/{name}"
        if "encrypted" in options:
            out.append(passed(f"{kind} is encrypted", "Options.encrypted is set", target=target))
        else:
            out.append(
                failed(f"{kind} is not encrypted", "Options has no 'encrypted'", target=target)
            )
    return out
