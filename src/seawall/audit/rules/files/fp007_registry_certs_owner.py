"""FP007: Registry certificate files are owned by root:root (CIS Docker 1.6.0, 3.7).

Checks the ownership of every file below /etc/docker/certs.d.
"""

from __future__ import annotations

from seawall.audit.model import Verdicts, host_rule
from seawall.audit.rules.files._perms import cert_files, ownership
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="FP007",
    title="Registry certificate files are owned by root:root",
    severity=Severity.MEDIUM,
    rationale=(
        "Files in /etc/docker/certs.d decide which registries the daemon trusts. Their owner "
        "can make the daemon accept a forged registry."
    ),
    remediation=(
        "chown root:root on every file below /etc/docker/certs.d (e.g. `chown -R root:root "
        "/etc/docker/certs.d`)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 3.7",),
    tags=("file-permissions",),
)
def check(facts: AuditFacts) -> Verdicts:
    """Pass per file owned by uid 0 and gid 0."""
    return ownership(facts, cert_files(facts))
