"""RT022: containers must keep a seccomp profile (CIS Docker 1.6.0, 5.22).

``fail`` for ``--security-opt seccomp=unconfined`` (or ``seccomp:unconfined``) and for
privileged containers (dockerd applies no seccomp filter to them). A container without its own
profile gets the daemon's: when the engine reports that profile as ``unconfined``, or reports no
seccomp support at all, the container fails too. A custom profile passes.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import (
    engine_security_option,
    engine_security_options,
)
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="RT022",
    title="Container runs without a seccomp profile",
    severity=Severity.HIGH,
    rationale=(
        "The seccomp profile blocks system calls containers have no business making (kernel "
        "module loading, keyring, many namespace and mount operations) and shrinks the kernel "
        "attack surface an escape would use."
    ),
    remediation=(
        "Remove --security-opt seccomp=unconfined and --privileged; if a workload needs a "
        "blocked call, give it a custom profile that allows just that call. Keep the daemon's "
        "default profile."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.22",),
    tags=("least-privilege", "seccomp"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when seccomp is off for the container (explicitly, by privilege or by daemon default)."""
    if c.privileged:
        return failed("privileged container runs without seccomp", "HostConfig.Privileged=true")
    own = [o for o in c.security_opt if o.startswith(("seccomp=", "seccomp:"))]
    if own:
        # The last option wins in dockerd; a custom profile is stored inline as JSON.
        if own[-1][len("seccomp=") :] == "unconfined":
            return failed("seccomp is disabled for this container", f"SecurityOpt {own[-1]}")
        return passed(
            "container uses a custom seccomp profile", "SecurityOpt seccomp=(custom profile)"
        )
    if engine_security_options(facts) is None:
        # The engine did not say; judge the container's own settings, which is what CIS audits.
        return passed("container does not disable seccomp")
    daemon = engine_security_option(facts, "seccomp")
    if daemon is None:
        return failed(
            "the engine applies no seccomp filtering (no seccomp support reported)",
            "SecurityOptions has no name=seccomp",
        )
    profile = daemon.get("profile", "default")
    if profile == "unconfined":
        return failed(
            "the daemon's default seccomp profile is unconfined",
            "SecurityOptions name=seccomp,profile=unconfined",
        )
    return passed(f"container uses the daemon's {profile} seccomp profile", f"profile={profile}")
