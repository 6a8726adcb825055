"""FP008: Registry certificate files are 444 or more restrictive (CIS Docker 1.6.0, 3.8).

Checks the mode of every file below /etc/docker/certs.d.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import cert_files, permissions
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP008",
    title="Registry certificate files are 444 or more restrictive",
    severity=Severity.MEDIUM,
    rationale=(
        "Writable registry certificates let a local user make the daemon trust a forged "
        "registry and pull tampered images."
    ),
    remediation=("chmod 444 on every file below /etc/docker/certs.d (keep client keys at 400)."),
    references=("CIS Docker Benchmark v1.6.0, 3.8",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0444."""
    return permissions(cert_files(facts), 0o444)
