"""FP003: docker.socket is owned by root:root (CIS Docker 1.6.0, 3.3).

Checks the ownership of every docker.socket found in the systemd unit directories.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import ownership, unit_files
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP003",
    title="docker.socket is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "The docker.socket unit decides the owner and mode of the Docker API socket. Whoever "
        "owns it can open that socket to anyone."
    ),
    remediation=(
        "chown root:root on the unit file (find it with `systemctl show -p FragmentPath "
        "docker.socket`)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.3",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, unit_files(facts, "docker.socket"))
