"""HO005: an audit rule watches the Docker data root (CIS Docker 1.6.0, 1.1.5).

Passes when an audit rule covers the Docker data root (/var/lib/docker unless data-root says
otherwise): a ``-w`` watch or a ``-F dir=`` syscall rule on it or on a directory above it, or a
``-F path=`` rule on it. Skips when the path does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO005",
    title="Audit rule watches the Docker data root",
    severity=Severity.LOW,
    rationale=(
        "Images, container filesystems and volumes live in the data root. Changes made there "
        "from the host bypass the engine entirely; only an audit rule records them."
    ),
    remediation=(
        "Add `-w /var/lib/docker -k docker` (your data root if it differs) to "
        "/etc/audit/rules.d/ and run `augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.5",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.5")
