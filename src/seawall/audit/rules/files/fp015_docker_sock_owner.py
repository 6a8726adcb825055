"""FP015: Docker socket is owned by root:docker (CIS Docker 1.6.0, 3.15).

Checks the ownership of the audited daemon's unix socket (/var/run/docker.sock for a TCP
endpoint); group root is accepted as stricter than docker.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import docker_socket, ownership
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP015",
    title="Docker socket is owned by root:docker",
    severity=Severity.HIGH,
    rationale=(
        "The Docker socket is full control of the daemon, i.e. root on the host. Owned by "
        "another user or group, it hands that control to them."
    ),
    remediation=(
        "chown root:docker /var/run/docker.sock, and set SocketUser=root / SocketGroup=docker"
        " in docker.socket so it stays that way."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.15",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0 or the docker group."""
    return ownership(facts, docker_socket(facts), docker_group=True)
