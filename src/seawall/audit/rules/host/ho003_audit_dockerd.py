"""HO003: an audit rule watches the Docker daemon binary (CIS Docker 1.6.0, 1.1.3).

Passes when an audit rule covers /usr/bin/dockerd (or /usr/sbin/dockerd): a ``-w`` watch or a
``-F dir=`` syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips
when the path does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO003",
    title="Audit rule watches the Docker daemon binary",
    severity=Severity.LOW,
    rationale=(
        "dockerd runs as root and controls every container. An audit trail of changes to its "
        "binary is how you later find out whether it was replaced or tampered with."
    ),
    remediation=(
        "Add `-w /usr/bin/dockerd -k docker` to a file in /etc/audit/rules.d/ (use "
        "/usr/sbin/dockerd where your distribution installs it there) and load it with "
        "`augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.3",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.3")
