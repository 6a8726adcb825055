"""RT016: a container must not join the host's process namespace (CIS Docker 1.6.0, 5.16).

``fail`` when ``HostConfig.PidMode`` is ``host``. Joining another container's namespace
(``container:<name>``) does not share the host's and passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT016",
    title="Container shares the host's process namespace",
    severity=Severity.HIGH,
    rationale=(
        "With the host's PID namespace the container sees every host process and, as root, can "
        "signal or trace them and read their environment and memory through /proc."
    ),
    remediation=(
        "Remove --pid host; to debug another container join its namespace instead (--pid "
        "container:<name>)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.16",),
    tags=("isolation",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container runs in the host's process namespace."""
    if c.pid_mode == "host":
        return failed(
            "container shares the host's process namespace (--pid host)", "HostConfig.PidMode=host"
        )
    return passed(
        "container does not share the host's process namespace",
        f"HostConfig.PidMode={c.pid_mode or '(default)'}",
    )
