"""HO011: an audit rule watches /etc/docker/daemon.json (CIS Docker 1.6.0, 1.1.11).

Passes when an audit rule covers /etc/docker/daemon.json: a ``-w`` watch or a ``-F dir=``
syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path
does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO011",
    title="Audit rule watches /etc/docker/daemon.json",
    severity=Severity.LOW,
    rationale=(
        "daemon.json is the daemon's main configuration: TLS, authorization plugins, user "
        "namespaces, logging. Changes to it should leave a trail."
    ),
    remediation=(
        "Add `-w /etc/docker/daemon.json -k docker` to /etc/audit/rules.d/ and run "
        "`augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.11",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.11")
