"""DM012: an authorization plugin guards the Docker API (CIS Docker 1.6.0, 2.12).

Runtime truth: ``/info`` Plugins.Authorization.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM012",
    title="No authorization plugin guards the Docker API",
    severity=Severity.MEDIUM,
    rationale=(
        "Without an authorization plugin every client that can reach the socket may do "
        "anything, including starting privileged containers that own the host."
    ),
    remediation=(
        "Install an authorization plugin and enable it with --authorization-plugin (or "
        '"authorization-plugins" in daemon.json).'
    ),
    references=reference("2.12"),
    tags=("authorization",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when no authorization plugin is loaded."""
    setting = runtime_setting(facts, "authorization-plugins")
    if isinstance(setting, Verdict):
        return setting
    plugins = setting.value if isinstance(setting.value, list) else []
    if plugins:
        return passed(
            "authorization plugin in use", *(f"authorization plugin {p}" for p in plugins)
        )
    return failed("no authorization plugin is configured", *setting.evidence)
