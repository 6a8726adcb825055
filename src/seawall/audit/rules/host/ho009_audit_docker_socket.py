"""HO009: an audit rule watches docker.socket (CIS Docker 1.6.0, 1.1.9).

Passes when an audit rule covers the docker.socket unit file: a ``-w`` watch or a ``-F dir=``
syscall rule on it or on a directory above it, or a ``-F path=`` rule on it. Skips when the path
does not exist here.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.host._watch import watch_verdicts
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO009",
    title="Audit rule watches the docker.socket unit file",
    severity=Severity.LOW,
    rationale=(
        "The docker.socket unit sets the owner, group and mode of the Docker API socket, i.e."
        " who may control the daemon. Changes to it deserve a record."
    ),
    remediation=(
        "Find the unit with `systemctl show -p FragmentPath docker.socket`, add `-w <that "
        "path> -k docker` to /etc/audit/rules.d/ and run `augenrules --load`."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.9",),
    tags=("audit",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per existing path when an audit rule watches it; fail when none does."""
    return watch_verdicts(facts, "1.1.9")
