"""DM016: the userland proxy is disabled (CIS Docker 1.6.0, 2.16)."""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import flag_setting, reference
from seawall.facts import AuditFacts
from seawall.facts.daemon_config import as_bool
from seawall.model import Severity


@daemon_rule(
    id="DM016",
    title="Userland proxy is enabled",
    severity=Severity.LOW,
    rationale=(
        "The userland proxy (docker-proxy) runs one process per published port; where "
        "hairpin NAT is available it only adds attack surface."
    ),
    remediation='Set "userland-proxy": false in daemon.json (or --userland-proxy=false).',
    references=reference("2.16"),
    tags=("network",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail while the userland proxy is on (the dockerd default)."""
    setting = flag_setting(facts, "userland-proxy")
    if isinstance(setting, Verdict):
        return setting
    if as_bool(setting.value) is False:
        return passed("the userland proxy is disabled", *setting.evidence)
    return failed("the userland proxy is enabled", *setting.evidence)
