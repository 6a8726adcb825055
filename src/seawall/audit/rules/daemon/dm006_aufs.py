"""DM006: the aufs storage driver is not used (CIS Docker 1.6.0, 2.6)."""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM006",
    title="aufs storage driver is in use",
    severity=Severity.MEDIUM,
    rationale=(
        "aufs is an out-of-tree, unmaintained filesystem that caused kernel crashes and is "
        "no longer supported by current Docker releases or kernels."
    ),
    remediation='Switch to overlay2 ("storage-driver": "overlay2" in daemon.json) and migrate images.',
    references=reference("2.6"),
    tags=("storage",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when ``/info`` Driver is aufs."""
    setting = runtime_setting(facts, "storage-driver")
    if isinstance(setting, Verdict):
        return setting
    if str(setting.value).lower() == "aufs":
        return failed("the aufs storage driver is in use", *setting.evidence)
    return passed(f"storage driver is {setting.value or 'not reported'}", *setting.evidence)
