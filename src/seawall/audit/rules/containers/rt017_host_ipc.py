"""RT017: a container must not join the host's IPC namespace (CIS Docker 1.6.0, 5.17).

``fail`` when ``HostConfig.IpcMode`` is ``host``. Joining another container's namespace
(``container:<name>``) does not share the host's and passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT017",
    title="Container shares the host's IPC namespace",
    severity=Severity.HIGH,
    rationale=(
        "With the host's IPC namespace the container can read and write host shared memory "
        "segments, semaphores and message queues used by host processes."
    ),
    remediation=(
        "Remove --ipc host; containers that must share memory can use --ipc shareable and --ipc "
        "container:<name>."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.17",),
    tags=("isolation",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container runs in the host's IPC namespace."""
    if c.ipc_mode == "host":
        return failed(
            "container shares the host's IPC namespace (--ipc host)", "HostConfig.IpcMode=host"
        )
    return passed(
        "container does not share the host's IPC namespace",
        f"HostConfig.IpcMode={c.ipc_mode or '(default)'}",
    )
