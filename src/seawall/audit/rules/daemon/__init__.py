"""Audit rules, CIS section 2, Docker daemon configuration (IDs DM###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
