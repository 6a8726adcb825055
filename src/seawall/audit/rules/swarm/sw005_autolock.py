"""SW005: swarm managers should run in autolock mode (CIS Docker 1.6.0, 7.5).

Read from ``GET /swarm`` ``Spec.EncryptionConfig.AutoLockManagers`` (managers only; on a worker
the rule is skipped). A node in state ``locked`` is proof that autolock is on.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, failed, passed, swarm_rule
from seawall.audit.rules.swarm._state import dig, node_state, swarm_doc
from seawall.facts import AuditFacts
from seawall.model import Severity


@swarm_rule(
    id="SW005",
    title="Swarm managers are not in autolock mode",
    severity=Severity.MEDIUM,
    rationale=(
        "Without autolock the keys that decrypt the raft log (with every swarm secret) and the "
        "manager's TLS key sit on the manager's disk next to the data; whoever gets a copy of "
        "/var/lib/docker/swarm gets the secrets. With autolock a restarted manager needs an "
        "unlock key kept elsewhere."
    ),
    remediation=(
        "Enable it with docker swarm update --autolock=true, store the printed unlock key in a "
        "password manager, and unlock restarted managers with docker swarm unlock."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.5",),
    tags=("swarm", "encryption"),
)
def check(facts: AuditFacts) -> Verdict:
    """Pass when AutoLockManagers is true (or the manager is locked)."""
    if node_state(facts) == "locked":
        return passed("the manager is locked, so autolock is enabled", "LocalNodeState=locked")
    doc = swarm_doc(facts)
    if isinstance(doc, Verdict):
        return doc
    enabled = dig(doc, "Spec", "EncryptionConfig", "AutoLockManagers") is True
    shown = f"Spec.EncryptionConfig.AutoLockManagers={'true' if enabled else 'false'}"
    if enabled:
        return passed("swarm managers are in autolock mode", shown)
    return failed("swarm managers are not in autolock mode", shown)
