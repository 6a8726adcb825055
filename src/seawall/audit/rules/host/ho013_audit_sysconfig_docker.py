"""HO013: an audit rule watches /etc/sysconfig/docker (CIS Docker 1.6.0, 1.1.13).

Passes when an audit rule covers /etc/sysconfig/docker: a ``-w`` watch or a ``-F dir=`` syscall
rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path does
not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO013",
    title="Audit rule watches /etc/sysconfig/docker",
    severity=Severity.LOW,
    rationale=(
        "On Red Hat-style systems /etc/sysconfig/docker carries the daemon's options. A "
        "change there alters the daemon at its next start."
    ),
    remediation=(
        "Add `-w /etc/sysconfig/docker -k docker` to /etc/audit/rules.d/ and run `augenrules "
        "--load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.13",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.13")
