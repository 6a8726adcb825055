"""FP024: containerd socket is 660 or more restrictive (CIS Docker 1.6.0, 3.24).

Checks the mode of /run/containerd/containerd.sock.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import fixed_file, permissions
from seawall.facts import AuditFacts
from seawall.facts.host_paths import CONTAINERD_SOCK
from seawall.model import Severity


@host_rule(
    id="FP024",
    title="containerd socket is 660 or more restrictive",
    severity=Severity.CRITICAL,
    rationale=(
        "Anyone who can write to containerd's socket can run privileged containers without "
        "Docker noticing: root on the host."
    ),
    remediation=(
        "chmod 660 /run/containerd/containerd.sock (containerd recreates it: keep the [grpc] "
        "uid/gid settings root)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.24",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0660."""
    return permissions(fixed_file(facts, CONTAINERD_SOCK), 0o660)
