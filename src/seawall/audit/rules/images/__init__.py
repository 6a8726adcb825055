"""Audit rules, CIS section 4, container images and build files (IDs IM###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.images import (
    im001_image_user,
    im002_trusted_origin,
    im005_content_trust,
    im006_healthcheck,
    im007_update_alone,
    im008_setuid_files,
    im009_add_instruction,
    im010_secrets,
)

RULES: tuple[AuditRule, ...] = (
    im001_image_user.check,
    im002_trusted_origin.check,
    im005_content_trust.check,
    im006_healthcheck.check,
    im007_update_alone.check,
    im008_setuid_files.check,
    im009_add_instruction.check,
    im010_secrets.check,
)
