"""RT003: containers should carry SELinux labels, where SELinux is on (CIS Docker 1.6.0, 5.3).

``skip`` unless the engine reports SELinux support (``name=selinux`` in ``/info``
``SecurityOptions``); then ``fail`` without a ``label=`` security option, or with
``label=disable`` (which turns labelling off).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed, skipped
from seawall.audit.rules.containers._common import engine_security_option, security_opt_values
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT003",
    title="Container has no SELinux security options",
    severity=Severity.MEDIUM,
    rationale=(
        "SELinux labels confine what a container's processes may access on the host, even "
        "after a breakout from the container's namespaces."
    ),
    remediation=(
        "Run the daemon with --selinux-enabled and start containers with explicit labels, e.g. "
        "--security-opt label=level:s0:c100,c200; never use label=disable."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.3",),
    tags=("mac", "selinux"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when SELinux is on in the engine but the container has no (or a disabling) label."""
    if engine_security_option(facts, "selinux") is None:
        return skipped("SELinux is not enabled in this engine (no name=selinux in SecurityOptions)")
    labels = security_opt_values(c, "label")
    evidence = tuple(f"SecurityOpt label={v}" for v in labels)
    if "disable" in labels:
        return failed("SELinux labelling is disabled for this container", *evidence)
    if not labels:
        return failed("container has no SELinux label security option", "SecurityOpt has no label=")
    return passed("container sets SELinux labels", *evidence)
