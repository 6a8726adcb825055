"""SW006: rotate the swarm unlock key periodically (CIS Docker 1.6.0, 7.6), manual.

The engine does not record when the unlock key was last rotated, so a human must check the
rotation schedule. When autolock is off (``GET /swarm`` on a manager says so) there is no
unlock key and the item does not apply (SW005 reports that).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, manual, skipped, swarm_rule
from seawall.audit.rules.swarm._state import dig, node_state, not_applicable
from seawall.facts import AuditFacts
from seawall.model import Severity


@swarm_rule(
    id="SW006",
    title="Swarm unlock key is not rotated periodically",
    severity=Severity.LOW,
    rationale=(
        "An unlock key that never changes stays valid for every copy of the manager's data ever "
        "taken; rotating it limits how long a leaked key is useful."
    ),
    remediation=(
        "Rotate the key on a schedule with docker swarm unlock-key --rotate and store the new "
        "key where the old one was kept."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.6",),
    tags=("swarm", "manual"),
)
def check(facts: AuditFacts) -> Verdict:
    """Manual in an active swarm with autolock (or unknown autolock); skip otherwise."""
    gate = not_applicable(facts)
    # A locked manager has autolock on, so its key rotation is a real question.
    if gate is not None and node_state(facts) != "locked":
        return gate
    doc = facts.engine.swarm if facts.engine is not None else None
    if doc is not None and dig(doc, "Spec", "EncryptionConfig", "AutoLockManagers") is not True:
        return skipped("autolock is disabled, so there is no unlock key to rotate (see SW005)")
    return manual(
        "the engine does not record when the unlock key was rotated; check that "
        "docker swarm unlock-key --rotate runs on your schedule"
    )
