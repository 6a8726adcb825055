"""FP006: /etc/docker is 755 or more restrictive (CIS Docker 1.6.0, 3.6).

Checks the mode of the /etc/docker directory.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, permissions
from seawall.facts import AuditFacts
from seawall.facts.host_paths import ETC_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP006",
    title="/etc/docker is 755 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "Write access to /etc/docker lets a user swap daemon.json or the TLS files, changing "
        "how the daemon is secured."
    ),
    remediation=("chmod 755 /etc/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.6",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0755."""
    return permissions(fixed_file(facts, ETC_DOCKER), 0o755)
