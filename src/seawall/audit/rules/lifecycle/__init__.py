"""Audit rules, lifecycle checks beyond CIS (immutable containers, ages, registries) (IDs LC###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
