"""RT027: containers should have a health check (CIS Docker 1.6.0, 5.27).

The container's ``Config.Healthcheck`` (which includes one inherited from the image) is used:
none, an empty test, or ``NONE`` (``--no-healthcheck``) fails.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

_EVIDENCE_MAX = 160


@container_rule(
    id="RT027",
    title="Container has no health check",
    severity=Severity.LOW,
    rationale=(
        "Without a health check the engine and orchestrators only know whether the process "
        "exists, not whether the service works; a hung or hijacked service keeps running unnoticed."
    ),
    remediation=(
        "Add a HEALTHCHECK to the image or --health-cmd when starting the container, and do not "
        "use --no-healthcheck."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.27",),
    tags=("availability", "monitoring"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container has no (or a disabled) health check."""
    test = c.healthcheck
    if test is None or not test:
        return failed("container has no health check", "Config.Healthcheck=(none)")
    if test[0] == "NONE":
        return failed("container health check is disabled", "Config.Healthcheck.Test=NONE")
    evidence = [f"Config.Healthcheck.Test={' '.join(test)}"[:_EVIDENCE_MAX]]
    if c.health_status:
        evidence.append(f"State.Health.Status={c.health_status}")
    return passed("container has a health check", *evidence)
