"""DM001: the daemon should run rootless where possible (CIS Docker 1.6.0, 2.1).

CIS marks the item manual; the engine answers it: ``/info`` SecurityOptions lists
``name=rootless`` for a daemon running under RootlessKit.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, passed, warned
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM001",
    title="Docker daemon runs as root",
    severity=Severity.LOW,
    rationale=(
        "A daemon running as root turns any escape from a container, or any abuse of the API, "
        "into full control of the host. Rootless mode keeps the daemon and its containers "
        "inside an unprivileged user's namespace."
    ),
    remediation=(
        "Where the workload allows it, run the daemon in rootless mode "
        "(dockerd-rootless-setuptool.sh install) as an unprivileged user."
    ),
    references=reference("2.1"),
    tags=("least-privilege",),
)
def check(facts: AuditFacts) -> Verdict:
    """Pass when the engine reports rootless mode, warn otherwise."""
    setting = runtime_setting(facts, "rootless")
    if isinstance(setting, Verdict):
        return setting
    if setting.value is True:
        return passed("daemon runs rootless", "SecurityOptions: name=rootless")
    return warned("daemon runs as root", "SecurityOptions: no name=rootless")
