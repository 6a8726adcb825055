"""RT031: a container must not join the host's user namespace (CIS Docker 1.6.0, 5.31).

``fail`` when ``HostConfig.UsernsMode`` is ``host`` (the only value Docker accepts besides the
default, which follows the daemon's ``userns-remap`` setting).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT031",
    title="Container shares the host's user namespace",
    severity=Severity.MEDIUM,
    rationale=(
        "When the daemon remaps users into a separate user namespace, --userns host opts the "
        "container out: root in the container is root on the host again."
    ),
    remediation=("Remove --userns host so the daemon's user namespace remapping applies."),
    references=("CIS Docker Benchmark v1.6.0, 5.31",),
    tags=("isolation", "userns"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container runs in the host's user namespace."""
    if c.userns_mode == "host":
        return failed(
            "container shares the host's user namespace (--userns host)",
            "HostConfig.UsernsMode=host",
        )
    return passed(
        "container does not share the host's user namespace",
        f"HostConfig.UsernsMode={c.userns_mode or '(default)'}",
    )
