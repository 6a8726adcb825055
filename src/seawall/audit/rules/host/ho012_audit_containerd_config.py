"""HO012: an audit rule watches /etc/containerd/config.toml (CIS Docker 1.6.0, 1.1.12).

Passes when an audit rule covers /etc/containerd/config.toml: a ``-w`` watch or a ``-F dir=``
syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path
does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO012",
    title="Audit rule watches /etc/containerd/config.toml",
    severity=Severity.LOW,
    rationale=(
        "containerd's configuration chooses runtimes, plugins and registry mirrors for every "
        "container Docker runs. Changes to it should be recorded."
    ),
    remediation=(
        "Add `-w /etc/containerd/config.toml -k docker` to /etc/audit/rules.d/ and run "
        "`augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.12",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.12")
