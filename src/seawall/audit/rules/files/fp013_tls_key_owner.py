"""FP013: Docker server key is owned by root:root (CIS Docker 1.6.0, 3.13).

Checks the ownership of the file named by the daemon's tlskey setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import ownership, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP013",
    title="Docker server key is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "The server key proves the daemon's identity. Its owner can read it and impersonate "
        "the daemon to every client."
    ),
    remediation=('chown root:root on the file named by --tlskey / "tlskey".'),
    references=("CIS Docker Benchmark v1.6.0, 3.13",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, tls_file(facts, "tlskey"))
