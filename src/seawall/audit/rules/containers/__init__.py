"""Audit rules, CIS section 5, container runtime (IDs RT###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.containers import rt005_privileged

RULES: tuple[AuditRule, ...] = (rt005_privileged.check,)
