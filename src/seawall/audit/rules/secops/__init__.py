"""Audit rules, CIS section 6, security operations (IDs SO###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
