"""RT007: no SSH daemon should run inside a container (CIS Docker 1.6.0, 5.7).

Uses the container's process list as the host sees it (never a binary inside the image), so it
only applies to running containers. A process whose executable is ``sshd`` (or OpenSSH's
``sshd-session``/``sshd-auth`` helpers, or ``dropbear``) fails; ``argv[0]`` may be a path or a
process title such as ``sshd: alice@pts/0``.
"""

from __future__ import annotations

import posixpath

from seawall.audit.model import Verdict, container_rule, errored, failed, passed, skipped
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

_SSH_DAEMONS = frozenset({"sshd", "sshd-session", "sshd-auth", "dropbear"})
_EVIDENCE_MAX = 120


def ssh_daemon_name(command: str) -> str | None:
    """The SSH daemon a command line belongs to, or ``None``.

    ``/usr/sbin/sshd -D`` -> ``sshd``; ``sshd: alice@pts/0`` -> ``sshd``; ``[sshd]`` -> ``sshd``.
    """
    argv0 = command.strip().split(maxsplit=1)[0] if command.strip() else ""
    # sshd rewrites its title to "sshd: ..."; ps shows some processes bracketed.
    name = posixpath.basename(argv0.strip("[]").rstrip(":"))
    return name if name in _SSH_DAEMONS else None


@container_rule(
    id="RT007",
    title="SSH daemon runs inside the container",
    severity=Severity.MEDIUM,
    rationale=(
        "An SSH server in a container is one more network service with credentials to manage "
        "and patch, and a way in that bypasses the engine's access control and audit trail."
    ),
    remediation=(
        "Remove the SSH server from the image; use `docker exec` (or the orchestrator's "
        "equivalent) for interactive access."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.7",),
    tags=("attack-surface",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when a process of the running container is an SSH daemon."""
    if not c.running:
        return skipped("container is not running")
    if c.processes is None:
        return errored(c.processes_error or "the container's process list could not be read")
    hits = [p for p in c.processes if ssh_daemon_name(p)]
    if hits:
        return failed(
            f"{len(hits)} SSH daemon process(es) running in the container",
            *(p.strip()[:_EVIDENCE_MAX] for p in hits),
        )
    return passed(f"no SSH daemon among {len(c.processes)} process(es)")
