"""Audit rules, CIS section 7, Docker Swarm configuration (IDs SW###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
