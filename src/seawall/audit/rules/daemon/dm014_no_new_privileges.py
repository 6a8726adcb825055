"""DM014: containers get no-new-privileges by default (CIS Docker 1.6.0, 2.14)."""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import flag_setting, reference
from seawall.facts import AuditFacts
from seawall.facts.daemon_config import as_bool
from seawall.model import Severity


@daemon_rule(
    id="DM014",
    title="Containers may gain new privileges by default",
    severity=Severity.MEDIUM,
    rationale=(
        "Without no-new-privileges a process in a container can gain privileges through "
        "setuid or setgid binaries and file capabilities."
    ),
    remediation='Set "no-new-privileges": true in daemon.json (or start dockerd with --no-new-privileges).',
    references=reference("2.14"),
    tags=("least-privilege",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail unless no-new-privileges is the daemon default."""
    setting = flag_setting(facts, "no-new-privileges")
    if isinstance(setting, Verdict):
        return setting
    if as_bool(setting.value) is True:
        return passed("containers get no-new-privileges by default", *setting.evidence)
    return failed("no-new-privileges is not the daemon default", *setting.evidence)
