"""DM009: user namespace remapping is enabled (CIS Docker 1.6.0, 2.9).

Runtime truth: ``/info`` SecurityOptions lists ``name=userns`` when remapping is active. A
rootless daemon already runs in a user namespace, which is what the item asks for.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import config, reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM009",
    title="User namespace remapping is not enabled",
    severity=Severity.MEDIUM,
    rationale=(
        "Without user namespace remapping, root in a container is root (UID 0) on the host: "
        "any escape or writable host mount acts with full host privileges."
    ),
    remediation=(
        'Set "userns-remap": "default" in daemon.json (or --userns-remap) and restart the '
        "daemon; containers that need host UIDs can opt out with --userns=host."
    ),
    references=reference("2.9"),
    tags=("isolation",),
)
def check(facts: AuditFacts) -> Verdict:
    """Pass when userns remapping is active or the daemon is rootless."""
    setting = runtime_setting(facts, "userns-remap")
    if isinstance(setting, Verdict):
        return setting
    if setting.value:
        return passed("user namespace remapping is enabled", *setting.evidence)
    if config(facts).get("rootless") is True:
        return passed("daemon is rootless: containers run in a user namespace", "name=rootless")
    return failed("user namespace remapping is not enabled", *setting.evidence)
