"""DM010: containers use the default parent cgroup (CIS Docker 1.6.0, 2.10).

The default is ``/docker`` with the cgroupfs driver and ``system.slice`` with systemd; any
other ``cgroup-parent`` is reported for a human to confirm.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, passed, warned
from seawall.audit.rules.daemon._common import config, flag_setting, reference
from seawall.facts import AuditFacts
from seawall.model import Severity

#: The parent dockerd uses when none is set, per cgroup driver.
DRIVER_DEFAULT = {"cgroupfs": "/docker", "systemd": "system.slice"}


@daemon_rule(
    id="DM010",
    title="Containers use a non-default parent cgroup",
    severity=Severity.LOW,
    rationale=(
        "The parent cgroup decides which limits and accounting apply to every container; a "
        "custom parent may grant more resources, or fewer controls, than intended."
    ),
    remediation=(
        'Confirm the "cgroup-parent" setting is intended and its limits are right, or remove '
        "it to use the default."
    ),
    references=reference("2.10"),
    tags=("resources",),
)
def check(facts: AuditFacts) -> Verdict:
    """Warn when cgroup-parent is set to something other than the driver's default."""
    setting = flag_setting(facts, "cgroup-parent")
    if isinstance(setting, Verdict):
        return setting
    parent = str(setting.value or "")
    driver = str(config(facts).get("cgroup-driver") or "")
    if not parent:
        return passed("containers use the default parent cgroup", *setting.evidence)
    if parent == DRIVER_DEFAULT.get(driver):
        return passed(f"cgroup-parent is the {driver} default", *setting.evidence)
    return warned(f"containers use the custom parent cgroup {parent}", *setting.evidence)
