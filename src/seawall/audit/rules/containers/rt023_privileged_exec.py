"""RT023: no exec session should run with ``--privileged`` (CIS Docker 1.6.0, 5.23).

Uses the exec records the engine keeps for a running container (``ExecIDs`` + exec inspect).
They exist only while the container runs, so a stopped container is ``skip``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import exec_records, exec_str
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT023",
    title="Privileged exec session in the container",
    severity=Severity.HIGH,
    rationale=(
        "`docker exec --privileged` runs a process with every capability and no seccomp or "
        "AppArmor confinement inside an otherwise confined container: for that process the "
        "container boundary is gone."
    ),
    remediation=(
        "Do not use `docker exec --privileged`; if a task needs extra rights, grant them to the "
        "container explicitly and review why."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.23",),
    tags=("least-privilege", "exec"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when any recorded exec session of the container was privileged."""
    execs = exec_records(c)
    if isinstance(execs, Verdict):
        return execs
    hits = [e for e in execs if e.privileged]
    if hits:
        return failed(f"{len(hits)} privileged exec session(s)", *(exec_str(e) for e in hits))
    return passed(f"no privileged exec session among {len(execs)} recorded")
