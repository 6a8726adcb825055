"""DM018: experimental features are off (CIS Docker 1.6.0, 2.18).

Runtime truth: ``/info`` ExperimentalBuild (true when the daemon runs with --experimental).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM018",
    title="Experimental features are enabled",
    severity=Severity.LOW,
    rationale=(
        "Experimental features are unfinished and not covered by the usual stability and "
        "security guarantees; they do not belong in production."
    ),
    remediation='Remove --experimental from the dockerd command line and "experimental": true from daemon.json.',
    references=reference("2.18"),
    tags=("hardening",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when the daemon runs with experimental features."""
    setting = runtime_setting(facts, "experimental")
    if isinstance(setting, Verdict):
        return setting
    if setting.value is True:
        return failed("experimental features are enabled", *setting.evidence)
    return passed("experimental features are disabled", *setting.evidence)
