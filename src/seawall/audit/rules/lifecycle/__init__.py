"""Audit rules, lifecycle checks beyond CIS (immutable containers, ages, registries) (IDs LC###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.lifecycle import (
    lc001_drift,
    lc002_container_age,
    lc003_image_age,
    lc004_dangling_image,
    lc005_allowed_registry,
)

RULES: tuple[AuditRule, ...] = (
    lc001_drift.check,
    lc002_container_age.check,
    lc003_image_age.check,
    lc004_dangling_image.check,
    lc005_allowed_registry.check,
)
