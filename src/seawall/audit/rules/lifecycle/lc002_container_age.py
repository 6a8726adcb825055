"""LC002: containers should be re-created regularly (container age; beyond CIS).

A container keeps the image it was created from, so one created long ago runs old packages
even when its image tag has been rebuilt. Fails when ``Created`` is more than
``settings.container_max_age_days`` (default 30) before the audit clock
(``facts.collected_at``). Running and stopped containers are both checked: a stopped one
restarts with the same old filesystem.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, errored
from seawall.audit.rules.lifecycle._timestamps import (
    age_days,
    age_verdict,
    audit_clock,
    is_placeholder,
    parse_timestamp,
)
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


@container_rule(
    id="LC002",
    title="Container is older than the maximum age",
    severity=Severity.LOW,
    rationale=(
        "Security fixes reach a container only when it is re-created from a rebuilt image; a "
        "long-lived container keeps every vulnerability its image had when it was created."
    ),
    remediation=(
        "Re-create containers regularly from freshly built images (docker compose up "
        "--force-recreate, a rolling service update), or raise container_max_age_days if a "
        "longer cycle is your policy."
    ),
    references=("Beyond CIS: patch cadence for running workloads",),
    tags=("lifecycle", "patching"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container was created more than container_max_age_days ago."""
    limit = facts.settings.container_max_age_days
    now = audit_clock(facts.collected_at)
    if isinstance(now, Verdict):
        return now
    created = parse_timestamp(c.created)
    if created is None or is_placeholder(created):
        return errored(f"container creation time not usable: {c.created!r}")
    return age_verdict("container", c.created, age_days(created, now), limit)
