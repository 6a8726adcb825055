"""HO018: an audit rule watches /usr/bin/runc (CIS Docker 1.6.0, 1.1.18).

Passes when an audit rule covers /usr/bin/runc: a ``-w`` watch or a ``-F dir=`` syscall rule on
it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path does not exist
here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO018",
    title="Audit rule watches the runc binary",
    severity=Severity.LOW,
    rationale=(
        "runc sets up every container's namespaces and cgroups as root; CVE-2019-5736 showed "
        "a container overwriting it. An audit rule records changes to the binary."
    ),
    remediation=(
        "Add `-w /usr/bin/runc -k docker` to /etc/audit/rules.d/ and run `augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.18",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.18")
