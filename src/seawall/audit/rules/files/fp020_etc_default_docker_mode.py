"""FP020: /etc/default/docker is 644 or more restrictive (CIS Docker 1.6.0, 3.20).

Checks the mode of /etc/default/docker.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, permissions
from seawall.facts import AuditFacts
from seawall.facts.host_paths import DEFAULT_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP020",
    title="/etc/default/docker is 644 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "A writable /etc/default/docker lets its writers change the daemon's options and "
        "environment for the next start."
    ),
    remediation=("chmod 644 /etc/default/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.20",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0644."""
    return permissions(fixed_file(facts, DEFAULT_DOCKER), 0o644)
