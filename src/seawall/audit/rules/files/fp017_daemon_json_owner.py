"""FP017: daemon.json is owned by root:root (CIS Docker 1.6.0, 3.17).

Checks the ownership of the daemon.json the daemon reads (--config-file, else
/etc/docker/daemon.json).
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import daemon_json, ownership
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP017",
    title="daemon.json is owned by root:root",
    severity=Severity.HIGH,
    rationale=(
        "daemon.json configures TLS, authorization plugins, user namespaces and more. Its "
        "owner can weaken all of it at the next restart."
    ),
    remediation=("chown root:root /etc/docker/daemon.json (or the file given to --config-file)."),
    references=("CIS Docker Benchmark v1.6.0, 3.17",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, daemon_json(facts))
