"""DM011: the devicemapper base device size is left at its default (CIS Docker 1.6.0, 2.11).

Only the devicemapper driver has a base device (``dm.basesize`` storage option); with any
other driver the item does not apply.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, passed, skipped, warned
from seawall.audit.rules.daemon._common import flag_setting, reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM011",
    title="devicemapper base device size is changed",
    severity=Severity.LOW,
    rationale=(
        "A larger base device lets every container grow its filesystem further, so one "
        "container can fill the thin pool and starve the others."
    ),
    remediation='Remove dm.basesize from "storage-opts" (or --storage-opt) unless a workload needs it.',
    references=reference("2.11"),
    tags=("storage", "resources"),
)
def check(facts: AuditFacts) -> Verdict:
    """Warn when dm.basesize is set on a devicemapper daemon."""
    driver = runtime_setting(facts, "storage-driver")
    if isinstance(driver, Verdict):
        return driver
    if str(driver.value) != "devicemapper":
        return skipped(f"storage driver is {driver.value or 'unknown'}, not devicemapper")
    opts = flag_setting(facts, "storage-opts")
    if isinstance(opts, Verdict):
        return opts
    values = opts.value if isinstance(opts.value, list) else []
    sizes = [str(o) for o in values if str(o).partition("=")[0].strip() == "dm.basesize"]
    if sizes:
        return warned(
            "the devicemapper base device size is changed", *(f"{s} ({opts.source})" for s in sizes)
        )
    return passed("the devicemapper base device size is the default", *opts.evidence)
