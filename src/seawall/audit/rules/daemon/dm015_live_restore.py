"""DM015: live restore is enabled (CIS Docker 1.6.0, 2.15).

Runtime truth: ``/info`` LiveRestoreEnabled. Live restore does not apply to a node in swarm
mode (the two are incompatible), so the check is skipped there.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed, skipped
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM015",
    title="Live restore is not enabled",
    severity=Severity.LOW,
    rationale=(
        "With live restore, containers keep running while the daemon is stopped or "
        "upgraded, so patching the daemon does not mean downtime (and is not postponed)."
    ),
    remediation='Set "live-restore": true in daemon.json (or --live-restore) and reload the daemon.',
    references=reference("2.15"),
    tags=("availability",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when live restore is off on a daemon outside swarm mode."""
    setting = runtime_setting(facts, "live-restore")
    if isinstance(setting, Verdict):
        return setting
    info = facts.engine.info if facts.engine is not None else {}
    swarm = info.get("Swarm")
    if isinstance(swarm, dict) and swarm.get("LocalNodeState") == "active":
        return skipped("swarm mode is active: live restore does not apply")
    if setting.value is True:
        return passed("live restore is enabled", *setting.evidence)
    return failed("live restore is not enabled", *setting.evidence)
