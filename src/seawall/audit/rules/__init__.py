"""All audit rules, listed explicitly (no import side effects), one subpackage per section."""

from __future__ import annotations

from seawall.audit.model import AuditRegistry
from seawall.audit.rules import containers, daemon, files, host, images, lifecycle, secops, swarm

RULES: AuditRegistry = AuditRegistry(
    "audit",
    (
        *host.RULES,
        *daemon.RULES,
        *files.RULES,
        *images.RULES,
        *containers.RULES,
        *secops.RULES,
        *swarm.RULES,
        *lifecycle.RULES,
    ),
)
