"""FP004: docker.socket is 644 or more restrictive (CIS Docker 1.6.0, 3.4).

Checks the mode of every docker.socket found in the systemd unit directories.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import permissions, unit_files
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP004",
    title="docker.socket is 644 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "A writable docker.socket unit lets its writers change who may use the Docker API "
        "socket, which is root on the host."
    ),
    remediation=(
        "chmod 644 on the unit file (find it with `systemctl show -p FragmentPath docker.socket`)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.4",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0644."""
    return permissions(unit_files(facts, "docker.socket"), 0o644)
