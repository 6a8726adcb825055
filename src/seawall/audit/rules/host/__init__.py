"""Audit rules, CIS section 1, host configuration (IDs HO###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
