"""DM017: a daemon-wide seccomp profile applies to containers (CIS Docker 1.6.0, 2.17).

CIS marks the item manual (whether a custom profile is appropriate is a judgement); what the
engine reports answers the part that matters: ``/info`` SecurityOptions
``name=seccomp,profile=P`` where P is ``default`` (or ``builtin``), a custom profile path, or
``unconfined``. No seccomp entry means the engine cannot filter system calls at all.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM017",
    title="No daemon-wide seccomp profile applies to containers",
    severity=Severity.HIGH,
    rationale=(
        "The seccomp profile blocks system calls containers do not need, many of them the "
        "entry points of kernel exploits. Unconfined, every container can call all of them."
    ),
    remediation=(
        "Remove seccomp-profile=unconfined from the daemon; keep Docker's default profile or "
        'set "seccomp-profile" to a custom profile tailored to the workloads.'
    ),
    references=reference("2.17"),
    tags=("isolation",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when seccomp is unconfined daemon-wide or unavailable."""
    setting = runtime_setting(facts, "seccomp-profile")
    if isinstance(setting, Verdict):
        return setting
    profile = str(setting.value or "")
    if profile == "unconfined":
        return failed("containers run without seccomp by default", *setting.evidence)
    if not profile:
        return failed("the engine does not support seccomp", "SecurityOptions: no name=seccomp")
    if profile in ("default", "builtin"):
        return passed("Docker's default seccomp profile applies daemon-wide", *setting.evidence)
    return passed(f"the custom seccomp profile {profile} applies daemon-wide", *setting.evidence)
