"""HO010: an audit rule watches /etc/default/docker (CIS Docker 1.6.0, 1.1.10).

Passes when an audit rule covers /etc/default/docker: a ``-w`` watch or a ``-F dir=`` syscall
rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path does
not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO010",
    title="Audit rule watches /etc/default/docker",
    severity=Severity.LOW,
    rationale=(
        "On Debian-style systems /etc/default/docker can carry the daemon's options and "
        "environment. A change there alters the daemon at its next start."
    ),
    remediation=(
        "Add `-w /etc/default/docker -k docker` to /etc/audit/rules.d/ and run `augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.10",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.10")
