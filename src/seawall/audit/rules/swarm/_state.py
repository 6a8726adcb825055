"""What every swarm rule checks first: is there an engine, and is this node in an active swarm.

``info["Swarm"]["LocalNodeState"]`` is ``inactive`` (or empty) outside a swarm, ``pending``
while joining, ``active`` in a swarm, ``locked`` when autolock is on and the manager has not
been unlocked since the daemon started, and ``error`` when the swarm component failed.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, errored, skipped
from seawall.facts import AuditFacts

#: The skip reason outside a swarm.
NOT_ACTIVE = "swarm mode is not active"


def swarm_info(facts: AuditFacts) -> dict[str, Any]:
    """``GET /info`` ``Swarm`` section (empty without an engine or when absent)."""
    if facts.engine is None:
        return {}
    value = facts.engine.info.get("Swarm")
    return value if isinstance(value, dict) else {}


def node_state(facts: AuditFacts) -> str:
    """``LocalNodeState`` of the audited engine (``inactive`` when not reported)."""
    return str(swarm_info(facts).get("LocalNodeState") or "inactive")


def is_manager(facts: AuditFacts) -> bool:
    """True when the audited node is a swarm manager (``ControlAvailable``)."""
    return bool(swarm_info(facts).get("ControlAvailable"))


def not_applicable(facts: AuditFacts) -> Verdict | None:
    """A skip/error verdict when swarm rules cannot apply; ``None`` in an active swarm."""
    engine = facts.engine
    if engine is None:
        return errored(f"engine not reachable: {facts.engine_error or 'unknown error'}")
    if "info" in engine.errors:
        return errored(f"engine info could not be read: {engine.errors['info']}")
    state = node_state(facts)
    if state == "active":
        return None
    if state == "locked":
        return skipped(
            "swarm manager is locked (autolock): unlock it with docker swarm unlock to audit it"
        )
    if state == "error":
        detail = swarm_info(facts).get("Error") or "no detail"
        return errored(f"swarm component is in error state: {detail}")
    if state == "pending":
        return skipped(f"{NOT_ACTIVE} (node is still joining)")
    return skipped(NOT_ACTIVE)


def swarm_doc(facts: AuditFacts) -> tuple[dict[str, Any] | None, Verdict | None]:
    """``GET /swarm`` in an active swarm, or the verdict to return instead.

    Only managers can read it: on a worker the verdict is a skip, on a manager whose document
    could not be read an error.
    """
    gate = not_applicable(facts)
    engine = facts.engine
    if gate is not None or engine is None:
        return None, gate or errored("engine not reachable")
    if engine.swarm is not None:
        return engine.swarm, None
    if not is_manager(facts):
        return None, skipped("not a swarm manager: cluster settings are only visible on managers")
    reason = engine.errors.get("swarm", "GET /swarm returned nothing")
    return None, errored(f"swarm settings could not be read: {reason}")


def services(facts: AuditFacts) -> tuple[tuple[dict[str, Any], ...] | None, Verdict | None]:
    """``GET /services`` in an active swarm, or the verdict to return instead (as ``swarm_doc``)."""
    gate = not_applicable(facts)
    engine = facts.engine
    if gate is not None or engine is None:
        return None, gate or errored("engine not reachable")
    if engine.services is not None:
        return engine.services, None
    if not is_manager(facts):
        return None, skipped("not a swarm manager: services are only listed on managers")
    reason = engine.errors.get("services", "GET /services returned nothing")
    return None, errored(f"swarm services could not be listed: {reason}")


def dig(doc: Any, *keys: str) -> Any:
    """``doc[k1][k2]...`` or ``None`` when a level is missing or not an object."""
    for key in keys:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def service_name(service: dict[str, Any]) -> str:
    """A service's name (``Spec.Name``), else its short ID."""
    return str(dig(service, "Spec", "Name") or str(service.get("ID", ""))[:12] or "unnamed")
