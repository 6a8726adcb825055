"""FP011: Docker server certificate is owned by root:root (CIS Docker 1.6.0, 3.11).

Checks the ownership of the file named by the daemon's tlscert setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import ownership, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP011",
    title="Docker server certificate is owned by root:root",
    severity=Severity.MEDIUM,
    rationale=(
        "The server certificate identifies the daemon to its clients. Its owner can replace "
        "it and break or impersonate the endpoint."
    ),
    remediation=('chown root:root on the file named by --tlscert / "tlscert".'),
    references=("CIS Docker Benchmark v1.6.0, 3.11",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, tls_file(facts, "tlscert"))
