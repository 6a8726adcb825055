"""FP010: TLS CA certificate is 444 or more restrictive (CIS Docker 1.6.0, 3.10).

Checks the mode of the file named by the daemon's tlscacert setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import permissions, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP010",
    title="TLS CA certificate is 444 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "A writable CA certificate lets a local user add their own CA, issue a client "
        "certificate and control the daemon remotely."
    ),
    remediation=('chmod 444 on the file named by --tlscacert / "tlscacert".'),
    references=("CIS Docker Benchmark v1.6.0, 3.10",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0444."""
    return permissions(tls_file(facts, "tlscacert"), 0o444)
