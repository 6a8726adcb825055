"""FP018: daemon.json is 644 or more restrictive (CIS Docker 1.6.0, 3.18).

Checks the mode of the daemon.json the daemon reads (--config-file, else
/etc/docker/daemon.json).
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import daemon_json, permissions
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP018",
    title="daemon.json is 644 or more restrictive",
    severity=Severity.HIGH,
    rationale=(
        "A writable daemon.json lets its writers change how the daemon is secured, and get "
        "root at the next restart."
    ),
    remediation=("chmod 644 /etc/docker/daemon.json (or the file given to --config-file)."),
    references=("CIS Docker Benchmark v1.6.0, 3.18",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file whose mode has no bit outside 0644."""
    return permissions(daemon_json(facts), 0o644)
