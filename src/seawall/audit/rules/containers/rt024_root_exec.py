"""RT024: exec sessions should not run as root (CIS Docker 1.6.0, 5.24).

CIS calls this manual, but the engine's exec records answer it for a running container: an
exec with user ``root``/``0`` (any group) fails; an exec without ``--user`` runs as the
container's user, so it fails when that user is root (empty, ``root`` or ``0``).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import exec_records, exec_str, is_root_user
from seawall.facts import AuditFacts, ContainerFacts
from seawall.facts.container import ExecFacts
from seawall.model import Severity


def runs_as_root(e: ExecFacts, container_user: str) -> bool:
    """True when the exec session's effective user is root."""
    return is_root_user(e.user) if e.user else is_root_user(container_user)


@container_rule(
    id="RT024",
    title="Exec session runs as root in the container",
    severity=Severity.MEDIUM,
    rationale=(
        "An exec session as root has more power in the container than the workload itself "
        "should have, and root is what most container escapes start from."
    ),
    remediation=(
        "Run exec sessions as the container's unprivileged user (docker exec --user <uid>); "
        "make the image's default user non-root."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.24",),
    tags=("least-privilege", "exec"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when any recorded exec session ran as root."""
    execs = exec_records(c)
    if isinstance(execs, Verdict):
        return execs
    hits = [e for e in execs if runs_as_root(e, c.user)]
    if hits:
        evidence = [exec_str(e) for e in hits]
        if any(not e.user for e in hits):
            evidence.append(f"Config.User={c.user or '(empty: root)'}")
        return failed(f"{len(hits)} exec session(s) run as root", *evidence)
    return passed(f"no exec session runs as root among {len(execs)} recorded")
