"""The engine data a rule reads, or the ``error`` verdict when it is missing. Pure.

An audit can run without an engine (``facts.engine`` is ``None``; ``facts.engine_error`` says
why) or with a part of the engine's data unread (``engine.errors[part]``, e.g. ``images``,
``info``). Shared by the rules that read engine-wide data: SO001, SO002, RT001, RT028, the
daemon runtime settings and the swarm gate.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored
from seawall.facts import AuditFacts, EngineFacts


def unreachable(facts: AuditFacts) -> Verdict:
    """The ``error`` verdict for an audit whose engine could not be reached."""
    return errored(f"engine not reachable: {facts.engine_error or 'unknown error'}")


def engine_with(facts: AuditFacts, part: str, unread: str) -> EngineFacts | Verdict:
    """The engine when it was reached and ``part`` of its data was read, else the ``error``.

    The error for an unread part is ``"<unread>: <reason>"``, e.g.
    ``images could not be listed: <reason>``.
    """
    engine = facts.engine
    if engine is None:
        return unreachable(facts)
    if part in engine.errors:
        return errored(f"{unread}: {engine.errors[part]}")
    return engine
