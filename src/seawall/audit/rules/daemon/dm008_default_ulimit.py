"""DM008: report the daemon's default ulimits (CIS Docker 1.6.0, 2.8; informational).

Whether a default is appropriate depends on the workloads; the check shows what is set.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, daemon_rule, informational
from seawall.audit.rules.daemon._common import flag_setting, reference
from seawall.facts import AuditFacts
from seawall.model import Severity


def _describe(name: str, limit: Any) -> str:
    if isinstance(limit, dict):
        return f"{name}={limit.get('Soft', '?')}:{limit.get('Hard', '?')}"
    return f"{name}={limit}"


@daemon_rule(
    id="DM008",
    title="Default ulimits for containers",
    severity=Severity.INFO,
    rationale=(
        "Default ulimits cap what a container can consume (open files, processes) unless it "
        "asks for other limits; without them containers inherit the daemon's own limits, "
        "which are usually very high."
    ),
    remediation=(
        'Set "default-ulimits" in daemon.json (or --default-ulimit) to limits that fit the '
        "workloads, e.g. nofile and nproc."
    ),
    references=reference("2.8"),
    tags=("resources",),
    informational=True,
)
def check(facts: AuditFacts) -> Verdict:
    """Report the default-ulimits setting."""
    setting = flag_setting(facts, "default-ulimits")
    if isinstance(setting, Verdict):
        return setting
    limits = setting.value if isinstance(setting.value, dict) else {}
    if not limits:
        return informational(
            "no default ulimit is set: containers inherit the daemon's limits", *setting.evidence
        )
    shown = [_describe(str(k), v) for k, v in sorted(limits.items())]
    return informational(f"default ulimits: {', '.join(shown)} ({setting.source})", *shown)
