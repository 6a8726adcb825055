"""FP022: /etc/sysconfig/docker is owned by root:root (CIS Docker 1.6.0, 3.22).

Checks the ownership of /etc/sysconfig/docker.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, ownership
from seawall.facts import AuditFacts
from seawall.facts.host_paths import SYSCONFIG_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP022",
    title="/etc/sysconfig/docker is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "On Red Hat-style systems /etc/sysconfig/docker holds the daemon's options. Its owner"
        " can change them for the next start."
    ),
    remediation=("chown root:root /etc/sysconfig/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.22",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, fixed_file(facts, SYSCONFIG_DOCKER))
