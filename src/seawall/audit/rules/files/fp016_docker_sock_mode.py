"""FP016: Docker socket is 660 or more restrictive (CIS Docker 1.6.0, 3.16).

Checks the mode of the audited daemon's unix socket (/var/run/docker.sock for a TCP endpoint).
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import docker_socket, permissions
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP016",
    title="Docker socket is 660 or more restrictive",
    severity=Severity.CRITICAL,
    rationale=(
        "Any user who can write to the Docker socket controls the daemon and so the host. A "
        "socket open to others gives every local account root."
    ),
    remediation=(
        "chmod 660 /var/run/docker.sock, and set SocketMode=0660 in docker.socket so it stays"
        " that way."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.16",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0660."""
    return permissions(docker_socket(facts), 0o660)
