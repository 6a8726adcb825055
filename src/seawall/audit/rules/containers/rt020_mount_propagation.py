"""RT020: mounts must not use shared propagation (CIS Docker 1.6.0, 5.20).

``fail`` for any mount whose propagation is ``shared`` or ``rshared``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

_SHARED = frozenset({"shared", "rshared"})


@container_rule(
    id="RT020",
    title="Mount uses shared propagation",
    severity=Severity.MEDIUM,
    rationale=(
        "With shared propagation, mounts made inside the container appear on the host (and "
        "the other way round), so a container can change the host's mount table."
    ),
    remediation=(
        "Remove bind-propagation=shared/rshared; the default (rprivate) keeps mount events "
        "inside the container. Use rslave if the container must see host mounts."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.20",),
    tags=("isolation", "mounts"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when a mount propagates in both directions."""
    hits = [m for m in c.mounts if m.propagation in _SHARED]
    if hits:
        return failed(
            f"{len(hits)} mount(s) with shared propagation",
            *(f"{m.source or m.name} -> {m.destination} ({m.propagation})" for m in hits),
        )
    return passed("no mount uses shared propagation")
