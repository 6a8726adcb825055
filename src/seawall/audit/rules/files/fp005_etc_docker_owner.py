"""FP005: /etc/docker is owned by root:root (CIS Docker 1.6.0, 3.5).

Checks the ownership of the /etc/docker directory.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, ownership
from seawall.facts import AuditFacts
from seawall.facts.host_paths import ETC_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP005",
    title="/etc/docker is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "/etc/docker holds daemon.json, TLS keys and registry certificates. Its owner can "
        "replace any of them."
    ),
    remediation=("chown root:root /etc/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.5",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, fixed_file(facts, ETC_DOCKER))
