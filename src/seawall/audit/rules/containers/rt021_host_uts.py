"""RT021: a container must not join the host's UTS namespace (CIS Docker 1.6.0, 5.21).

``fail`` when ``HostConfig.UTSMode`` is ``host``. Joining another container's namespace
(``container:<name>``) does not share the host's and passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT021",
    title="Container shares the host's UTS namespace",
    severity=Severity.MEDIUM,
    rationale=(
        "With the host's UTS namespace a container with the needed capability can change the "
        "host's hostname and domain name, which other services rely on."
    ),
    remediation=("Remove --uts host."),
    references=("CIS Docker Benchmark v1.6.0, 5.21",),
    tags=("isolation",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container runs in the host's UTS namespace."""
    if c.uts_mode == "host":
        return failed(
            "container shares the host's UTS namespace (--uts host)", "HostConfig.UTSMode=host"
        )
    return passed(
        "container does not share the host's UTS namespace",
        f"HostConfig.UTSMode={c.uts_mode or '(default)'}",
    )
