"""HO008: an audit rule watches containerd.sock (CIS Docker 1.6.0, 1.1.8).

Passes when an audit rule covers /run/containerd/containerd.sock: a ``-w`` watch or a ``-F
dir=`` syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when
the path does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO008",
    title="Audit rule watches containerd.sock",
    severity=Severity.LOW,
    rationale=(
        "Whoever can use containerd's socket can start and modify any container as root, "
        "behind Docker's back. Recording access to it leaves a trail."
    ),
    remediation=(
        "Add `-w /run/containerd/containerd.sock -k docker` to /etc/audit/rules.d/ and run "
        "`augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.8",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.8")
