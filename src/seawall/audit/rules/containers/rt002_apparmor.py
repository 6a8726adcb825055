"""RT002: containers should run under an AppArmor profile, where AppArmor exists (CIS Docker 1.6.0, 5.2).

``skip`` when the host kernel or the engine has no AppArmor; otherwise ``fail`` for an empty or
``unconfined`` profile (including ``--security-opt apparmor=unconfined``).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed, skipped
from seawall.audit.rules.containers._common import engine_security_option, security_opt_values
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT002",
    title="Container runs without an AppArmor profile",
    severity=Severity.MEDIUM,
    rationale=(
        "An AppArmor profile limits what even root in the container may touch (mounts, /proc "
        "and /sys writes, raw devices); without one a container escape has fewer obstacles."
    ),
    remediation=(
        "Do not pass --security-opt apparmor=unconfined and do not run privileged; keep "
        "docker-default or load a stricter profile and pass --security-opt apparmor=<profile>."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.2",),
    tags=("mac", "apparmor"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when AppArmor is available but the container's profile is empty or unconfined."""
    if facts.host.apparmor_enabled is False or engine_security_option(facts, "apparmor") is None:
        return skipped("AppArmor is not enabled on this host/kernel")
    requested = security_opt_values(c, "apparmor")
    profile = c.apparmor_profile
    if profile == "unconfined" or "unconfined" in requested:
        return failed(
            "container runs with AppArmor unconfined",
            f"AppArmorProfile={profile or '(empty)'}",
            *(f"SecurityOpt apparmor={v}" for v in requested),
        )
    if not profile:
        return failed("container has no AppArmor profile", "AppArmorProfile=(empty)")
    return passed(f"container runs under AppArmor profile {profile}", f"AppArmorProfile={profile}")
