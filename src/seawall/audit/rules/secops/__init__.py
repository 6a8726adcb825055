"""Audit rules, CIS section 6, security operations (IDs SO###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.secops import so001_image_sprawl, so002_container_sprawl

RULES: tuple[AuditRule, ...] = (so001_image_sprawl.check, so002_container_sprawl.check)
