"""DM004: the daemon is allowed to manage iptables (CIS Docker 1.6.0, 2.4)."""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import flag_setting, reference
from seawall.facts import AuditFacts
from seawall.facts.daemon_config import as_bool
from seawall.model import Severity


@daemon_rule(
    id="DM004",
    title="Daemon may not manage iptables",
    severity=Severity.MEDIUM,
    rationale=(
        "When dockerd cannot write iptables rules, published ports, inter-container "
        "isolation and masquerading depend on rules kept by hand, which drift from what "
        "the containers actually need and easily expose more than intended."
    ),
    remediation='Remove --iptables=false from the dockerd command line and "iptables": false from daemon.json.',
    references=reference("2.4"),
    tags=("network",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when iptables is set to false."""
    setting = flag_setting(facts, "iptables")
    if isinstance(setting, Verdict):
        return setting
    if as_bool(setting.value) is False:
        return failed("daemon is not allowed to manage iptables", *setting.evidence)
    return passed("daemon manages iptables", *setting.evidence)
