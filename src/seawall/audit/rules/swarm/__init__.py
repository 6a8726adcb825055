"""Audit rules, CIS section 7, Docker Swarm configuration (IDs SW###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.swarm import (
    sw001_manager_count,
    sw002_service_ports,
    sw003_overlay_encryption,
    sw004_secret_management,
    sw005_autolock,
    sw006_unlock_key_rotation,
    sw007_node_cert_expiry,
    sw008_ca_rotation,
    sw009_plane_separation,
)

RULES: tuple[AuditRule, ...] = (
    sw001_manager_count.check,
    sw002_service_ports.check,
    sw003_overlay_encryption.check,
    sw004_secret_management.check,
    sw005_autolock.check,
    sw006_unlock_key_rotation.check,
    sw007_node_cert_expiry.check,
    sw008_ca_rotation.check,
    sw009_plane_separation.check,
)
