"""FP002: docker.service is 644 or more restrictive (CIS Docker 1.6.0, 3.2).

Checks the mode of every docker.service found in the systemd unit directories.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import permissions, unit_files
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP002",
    title="docker.service is 644 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "A unit file writable by a group or by everyone lets those users change the daemon's "
        "command line and gain root at the next restart."
    ),
    remediation=(
        "chmod 644 on the unit file (find it with `systemctl show -p FragmentPath docker.service`)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.2",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0644."""
    return permissions(unit_files(facts, "docker.service"), 0o644)
