"""FP001: docker.service is owned by root:root (CIS Docker 1.6.0, 3.1).

Checks the ownership of every docker.service found in the systemd unit directories.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import ownership, unit_files
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP001",
    title="docker.service is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "The docker.service unit sets the daemon's command line. Whoever owns it can rewrite "
        "that command line and gets root at the next restart."
    ),
    remediation=(
        "chown root:root on the unit file (find it with `systemctl show -p FragmentPath "
        "docker.service`)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.1",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, unit_files(facts, "docker.service"))
