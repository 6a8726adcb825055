"""What every swarm rule checks first: is there an engine, and is this node in an active swarm.

``info["Swarm"]["LocalNodeState"]`` is ``inactive`` (or empty) outside a swarm, ``pending``
while joining, ``active`` in a swarm, ``locked`` when autolock is on and the manager has not
been unlocked since the daemon started, and ``error`` when the swarm component failed.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, errored, skipped
from seawall.audit.rules._engine import engine_with
from seawall.facts import AuditFacts, EngineFacts

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


def active_engine(facts: AuditFacts) -> EngineFacts | Verdict:
    """The engine of a node in an active swarm, or the skip/error verdict when it is not one."""
    engine = engine_with(facts, "info", "engine info could not be read")
    if isinstance(engine, Verdict):
        return engine
    state = node_state(facts)
    if state == "active":
        return engine
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


def not_applicable(facts: AuditFacts) -> Verdict | None:
    """A skip/error verdict when swarm rules cannot apply; ``None`` in an active swarm."""
    engine = active_engine(facts)
    return engine if isinstance(engine, Verdict) else None


def swarm_doc(facts: AuditFacts) -> dict[str, Any] | Verdict:
    """``GET /swarm`` in an active swarm, or the verdict to return instead.

    Only managers can read it: on a worker the verdict is a skip, on a manager whose document
    could not be read an error.
    """
    engine = active_engine(facts)
    if isinstance(engine, Verdict):
        return engine
    if engine.swarm is not None:
        return engine.swarm
    return _manager_only(
        facts,
        engine,
        "swarm",
        hidden="cluster settings are only visible on managers",
        unread="swarm settings could not be read",
    )


def services(facts: AuditFacts) -> tuple[dict[str, Any], ...] | Verdict:
    """``GET /services`` in an active swarm, or the verdict to return instead (as ``swarm_doc``)."""
    engine = active_engine(facts)
    if isinstance(engine, Verdict):
        return engine
    if engine.services is not None:
        return engine.services
    return _manager_only(
        facts,
        engine,
        "services",
        hidden="services are only listed on managers",
        unread="swarm services could not be listed",
    )


def _manager_only(
    facts: AuditFacts, engine: EngineFacts, part: str, *, hidden: str, unread: str
) -> Verdict:
    """Why the manager-only ``GET /<part>`` is missing: skip on a worker, else the read error."""
    if not is_manager(facts):
        return skipped(f"not a swarm manager: {hidden}")
    reason = engine.errors.get(part, f"GET /{part} returned nothing")
    return errored(f"{unread}: {reason}")


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
