"""DM005: no insecure registries are configured (CIS Docker 1.6.0, 2.5).

Runtime truth from ``/info`` RegistryConfig: ``InsecureRegistryCIDRs`` and the
``IndexConfigs`` entries with ``Secure: false``. dockerd always adds the loopback ranges
(``127.0.0.0/8``, and ``::1/128`` on newer engines) by itself: those are not findings.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_config
from seawall.facts import AuditFacts
from seawall.model import Severity

#: Ranges dockerd marks insecure on its own; never configured by the user.
IMPLICIT = frozenset({"127.0.0.0/8", "::1/128"})


@daemon_rule(
    id="DM005",
    title="Insecure registries are configured",
    severity=Severity.HIGH,
    rationale=(
        "For an insecure registry the daemon accepts plain HTTP or an unverified certificate: "
        "anyone on the path can serve tampered images that the host then runs."
    ),
    remediation=(
        'Remove the entries from "insecure-registries" in daemon.json (and --insecure-registry '
        "flags); give the registries certificates the daemon trusts "
        "(/etc/docker/certs.d/<registry>/ca.crt)."
    ),
    references=reference("2.5"),
    tags=("supply-chain",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when any registry or CIDR other than the implicit loopback ranges is insecure."""
    cfg = runtime_config(facts)
    if isinstance(cfg, Verdict):
        return cfg
    insecure = [r for r in cfg.get_list("insecure-registries") if r not in IMPLICIT]
    source = cfg.source("insecure-registries")
    if insecure:
        return failed(
            f"{len(insecure)} insecure registr{'y' if len(insecure) == 1 else 'ies'} configured",
            *(f"insecure registry {r} ({source})" for r in insecure),
        )
    return passed("no insecure registries beyond the implicit loopback range")
