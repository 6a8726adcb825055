"""FP014: Docker server key is 400 (CIS Docker 1.6.0, 3.14).

Checks the mode of the file named by the daemon's tlskey setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import permissions, tls_file
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP014",
    title="Docker server key is 400",
    severity=Severity.HIGH,
    rationale=(
        "A key readable by anyone but root can be copied and used to impersonate the daemon; "
        "a writable one can be replaced."
    ),
    remediation=('chmod 400 on the file named by --tlskey / "tlskey".'),
    references=("CIS Docker Benchmark v1.6.0, 3.14",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0400."""
    return permissions(tls_file(facts, "tlskey"), 0o400)
