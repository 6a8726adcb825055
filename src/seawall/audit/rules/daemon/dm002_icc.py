"""DM002: inter-container traffic on the default bridge is disabled (CIS Docker 1.6.0, 2.2).

The running truth is the default bridge network's ``com.docker.network.bridge.enable_icc``
option (``/info`` does not report icc); without it, the configured ``icc`` setting.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed, skipped
from seawall.audit.rules.daemon._common import drift_note, reference, runtime_config, show
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM002",
    title="Containers on the default bridge can talk to each other",
    severity=Severity.MEDIUM,
    rationale=(
        "With inter-container communication on, every container on the default bridge can "
        "reach every other one on any port: one compromised container can probe and attack "
        "its neighbours."
    ),
    remediation=(
        'Set "icc": false in daemon.json (or start dockerd with --icc=false) and connect '
        "containers that must talk through user-defined networks or published ports."
    ),
    references=reference("2.2"),
    tags=("network",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when icc is enabled on the default bridge."""
    cfg = runtime_config(facts)
    if isinstance(cfg, Verdict):
        return cfg
    engine = facts.engine
    if engine is not None and engine.bridge is None:
        if "bridge" in engine.errors:
            return skipped(f"default bridge network could not be read: {engine.errors['bridge']}")
        return skipped("the daemon has no default bridge network")
    icc = cfg.get_bool("icc")
    evidence = [f"icc={show(cfg.get('icc'))} ({cfg.source('icc')})"]
    note = drift_note(facts, "icc", cfg.get("icc"))
    if note:
        evidence.append(note)
    if icc is False:
        return passed("inter-container communication is disabled on the default bridge", *evidence)
    return failed("inter-container communication is enabled on the default bridge", *evidence)
