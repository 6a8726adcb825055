"""FP009: TLS CA certificate is owned by root:root (CIS Docker 1.6.0, 3.9).

Checks the ownership of the file named by the daemon's tlscacert setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import ownership, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP009",
    title="TLS CA certificate is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "The CA certificate decides which client certificates the daemon accepts. Its owner "
        "can swap in their own CA and get remote root."
    ),
    remediation=('chown root:root on the file named by --tlscacert / "tlscacert".'),
    references=("CIS Docker Benchmark v1.6.0, 3.9",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, tls_file(facts, "tlscacert"))
