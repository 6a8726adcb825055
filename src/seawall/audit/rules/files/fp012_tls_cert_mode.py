"""FP012: Docker server certificate is 444 or more restrictive (CIS Docker 1.6.0, 3.12).

Checks the mode of the file named by the daemon's tlscert setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import permissions, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP012",
    title="Docker server certificate is 444 or more restrictive",
    severity=Severity.MEDIUM,
    rationale=(
        "A writable server certificate can be replaced by a local user, breaking TLS or "
        "helping impersonate the daemon."
    ),
    remediation=('chmod 444 on the file named by --tlscert / "tlscert".'),
    references=("CIS Docker Benchmark v1.6.0, 3.12",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0444."""
    return permissions(tls_file(facts, "tlscert"), 0o444)
