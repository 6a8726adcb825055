"""FP019: /etc/default/docker is owned by root:root (CIS Docker 1.6.0, 3.19).

Checks the ownership of /etc/default/docker.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, ownership
from seawall.facts import AuditFacts
from seawall.facts.host_paths import DEFAULT_DOCKER
from seawall.model import Severity


@host_rule(
    id="FP019",
    title="/etc/default/docker is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "/etc/default/docker can carry the daemon's options and environment. Its owner can "
        "change them for the next start."
    ),
    remediation=("chown root:root /etc/default/docker"),
    references=("CIS Docker Benchmark v1.6.0, 3.19",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, fixed_file(facts, DEFAULT_DOCKER))
