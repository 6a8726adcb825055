"""RT015: the restart policy should be ``on-failure`` with at most 5 retries (CIS Docker 1.6.0, 5.15).

``fail`` for ``always`` and ``unless-stopped`` (restart forever) and for ``on-failure`` with an
unlimited (0) or larger-than-5 retry count. ``on-failure:1..5``, ``no`` and no policy pass.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

MAX_RETRIES = 5


@container_rule(
    id="RT015",
    title="Container restart policy retries without a bound",
    severity=Severity.LOW,
    rationale=(
        "A container that restarts endlessly hides crashes, can keep an exploited or broken "
        "service coming back, and can load the host in a restart loop."
    ),
    remediation="Use --restart on-failure:5 (or fewer retries), or no restart policy.",
    references=("CIS Docker Benchmark v1.6.0, 5.15",),
    tags=("availability",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail on ``always``/``unless-stopped`` and on ``on-failure`` without a 1-5 retry bound."""
    policy, retries = c.restart_policy, c.restart_max_retries
    evidence = f"RestartPolicy={policy or '(none)'}"
    if policy in ("always", "unless-stopped"):
        return failed(f"restart policy {policy} restarts the container forever", evidence)
    if policy == "on-failure":
        evidence = f"RestartPolicy=on-failure:{retries}"
        if retries <= 0:
            return failed("restart policy on-failure has no retry limit", evidence)
        if retries > MAX_RETRIES:
            return failed(
                f"restart policy on-failure allows {retries} retries (more than 5)", evidence
            )
        return passed(f"restart policy on-failure is limited to {retries} retries", evidence)
    return passed(f"restart policy {policy or 'none'} does not restart endlessly", evidence)
