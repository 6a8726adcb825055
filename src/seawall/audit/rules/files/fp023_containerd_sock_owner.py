"""FP023: containerd socket is owned by root:root (CIS Docker 1.6.0, 3.23).

Checks the ownership of /run/containerd/containerd.sock.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, ownership
from seawall.facts import AuditFacts
from seawall.facts.host_paths import CONTAINERD_SOCK
from seawall.model import Severity


@host_rule(
    id="FP023",
    title="containerd socket is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "containerd's socket controls every container on the host, bypassing Docker. Owned by"
        " anyone but root, it hands out root."
    ),
    remediation=(
        "chown root:root /run/containerd/containerd.sock (containerd recreates it: fix the "
        "owner in its configuration)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.23",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, fixed_file(facts, CONTAINERD_SOCK))
