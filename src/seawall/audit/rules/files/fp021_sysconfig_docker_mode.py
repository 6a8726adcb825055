"""FP021: /etc/sysconfig/docker is 644 or more restrictive (CIS Docker 1.6.0, 3.21).

Checks the mode of /etc/sysconfig/docker.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, permissions
from seawall.facts import AuditFacts
from seawall.facts.host_paths import SYSCONFIG_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP021",
    title="/etc/sysconfig/docker is 644 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "On Red Hat-style systems /etc/sysconfig/docker holds the daemon's options. Writable,"
        " it lets its writers change them for the next start."
    ),
    remediation=("chmod 644 /etc/sysconfig/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.21",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0644."""
    return permissions(fixed_file(facts, SYSCONFIG_DOCKER), 0o644)
