"""SW008: rotate the swarm root CA as appropriate (CIS Docker 1.6.0, 7.8), manual.

The engine does not expose when the root CA was created or last rotated in a form the audit
can judge against a policy, so a human must check it (``docker swarm ca``).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, manual, swarm_rule
from seawall.audit.rules.swarm._state import not_applicable
from seawall.facts import AuditFacts
from seawall.model import Severity


@swarm_rule(
    id="SW008",
    title="Swarm root CA is not rotated as appropriate",
    severity=Severity.LOW,
    rationale=(
        "Whoever holds the root CA key can mint certificates for any node or manager; "
        "rotating the CA on a schedule, and at once after a suspected compromise, limits that "
        "exposure."
    ),
    remediation=(
        "Rotate the root CA with docker swarm ca --rotate (optionally with your own "
        "--ca-cert/--ca-key) according to your key management policy."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.8",),
    tags=("swarm", "pki", "manual"),
)
def check(facts: AuditFacts) -> Verdict:
    """Manual in an active swarm; skip otherwise."""
    gate = not_applicable(facts)
    if gate is not None:
        return gate
    return manual(
        "the engine does not report when the root CA was last rotated; compare "
        "docker swarm ca output and your records with your rotation policy"
    )
