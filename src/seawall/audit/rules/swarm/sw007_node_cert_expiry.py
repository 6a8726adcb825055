"""SW007: node certificate rotation (CIS Docker 1.6.0, 7.7), informational.

Swarm renews every node's TLS certificate automatically before it expires, so the expiry
period (``GET /swarm`` ``Spec.CAConfig.NodeCertExpiry``, nanoseconds; 90 days when unset) is
the rotation interval. What interval is appropriate is a policy decision, so the rule reports
it (and whether an external CA signs node certificates) rather than judging it.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, informational, swarm_rule
from seawall.audit.rules.swarm._state import dig, swarm_doc
from seawall.facts import AuditFacts
from seawall.model import Severity

#: SwarmKit's default node certificate validity.
DEFAULT_EXPIRY_DAYS = 90
_NS_PER_HOUR = 3_600_000_000_000


def describe_expiry(ns: object) -> str:
    """``NodeCertExpiry`` as a readable duration (``90 days``, ``36 hours``)."""
    if not isinstance(ns, int) or isinstance(ns, bool) or ns <= 0:
        return f"{DEFAULT_EXPIRY_DAYS} days (engine default)"
    hours = ns / _NS_PER_HOUR
    if hours >= 24 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hours"


@swarm_rule(
    id="SW007",
    title="Swarm node certificate rotation interval",
    severity=Severity.INFO,
    rationale=(
        "Node certificates authenticate nodes to each other; a shorter validity limits how "
        "long a stolen node certificate and key can be used."
    ),
    remediation=(
        "Set the validity your policy requires with docker swarm update --cert-expiry <duration> "
        "(e.g. 720h); nodes then renew their certificates automatically within that period."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.7",),
    tags=("swarm", "pki"),
    informational=True,
)
def check(facts: AuditFacts) -> Verdict:
    """Report the node certificate expiry period and the CA setup."""
    doc = swarm_doc(facts)
    if isinstance(doc, Verdict):
        return doc
    raw = dig(doc, "Spec", "CAConfig", "NodeCertExpiry")
    external = dig(doc, "Spec", "CAConfig", "ExternalCAs")
    ca = "external CA" if isinstance(external, list) and external else "swarm's own CA"
    period = describe_expiry(raw)
    return informational(
        f"node certificates are valid for {period} and renewed automatically ({ca})",
        f"Spec.CAConfig.NodeCertExpiry={raw if raw is not None else 'unset'}",
        f"signed by {ca}",
    )
