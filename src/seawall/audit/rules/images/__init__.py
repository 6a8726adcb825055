"""Audit rules, CIS section 4, container images and build files (IDs IM###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule

RULES: tuple[AuditRule, ...] = ()
