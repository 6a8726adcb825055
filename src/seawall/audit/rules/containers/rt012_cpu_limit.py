"""RT012: every container should have its CPU use limited or weighted (CIS Docker 1.6.0, 5.12).

Limited when any of ``NanoCpus`` (``--cpus``), ``CpuQuota``, ``CpusetCpus`` is set, or
``CpuShares`` is set to something other than the default weight (0 or 1024); else ``fail``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

#: ``CpuShares`` 0 means "not set", which the kernel treats as the default weight 1024.
_DEFAULT_SHARES = (0, 1024)


@container_rule(
    id="RT012",
    title="Container has no CPU limit or priority",
    severity=Severity.MEDIUM,
    rationale=(
        "Without a CPU limit or weight a busy or compromised container competes equally with "
        "everything else and can starve other containers and host services."
    ),
    remediation=(
        "Limit CPU with --cpus (or --cpu-quota/--cpuset-cpus), or set a relative weight with "
        "--cpu-shares."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.12",),
    tags=("resource-limits",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when no CPU limit, pinning or non-default weight is set."""
    evidence = []
    if c.nano_cpus > 0:
        evidence.append(f"HostConfig.NanoCpus={c.nano_cpus}")
    if c.cpu_quota > 0:
        evidence.append(f"HostConfig.CpuQuota={c.cpu_quota}")
    if c.cpuset_cpus:
        evidence.append(f"HostConfig.CpusetCpus={c.cpuset_cpus}")
    if c.cpu_shares not in _DEFAULT_SHARES:
        evidence.append(f"HostConfig.CpuShares={c.cpu_shares}")
    if evidence:
        return passed("container CPU use is limited or weighted", *evidence)
    return failed(
        "container has no CPU limit, pinning or priority",
        "HostConfig.NanoCpus=0",
        "HostConfig.CpuQuota=0",
        "HostConfig.CpusetCpus=(empty)",
        f"HostConfig.CpuShares={c.cpu_shares}",
    )
