"""Audit rules, CIS section 3, daemon configuration files (IDs FP###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
