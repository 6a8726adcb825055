"""HO017: an audit rule watches /usr/bin/containerd-shim-runc-v2 (CIS Docker 1.6.0, 1.1.17).

Passes when an audit rule covers /usr/bin/containerd-shim-runc-v2: a ``-w`` watch or a ``-F
dir=`` syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when
the path does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO017",
    title="Audit rule watches the containerd-shim-runc-v2 binary",
    severity=Severity.LOW,
    rationale=(
        "The runc v2 shim (the default in current containerd) supervises container processes "
        "as root. A replaced shim owns the host; an audit rule records the change."
    ),
    remediation=(
        "Add `-w /usr/bin/containerd-shim-runc-v2 -k docker` to /etc/audit/rules.d/ and run "
        "`augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.17",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.17")
