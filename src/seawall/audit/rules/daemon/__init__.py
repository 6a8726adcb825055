"""Audit rules, CIS section 2, Docker daemon configuration (IDs DM###). Each module is one rule; list it here."""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.daemon import (
    dm001_rootless,
    dm002_icc,
    dm003_log_level,
    dm004_iptables,
    dm005_insecure_registries,
    dm006_aufs,
    dm007_tls,
    dm008_default_ulimit,
    dm009_userns,
    dm010_cgroup_parent,
    dm011_base_device_size,
    dm012_authorization_plugin,
    dm013_remote_logging,
    dm014_no_new_privileges,
    dm015_live_restore,
    dm016_userland_proxy,
    dm017_seccomp_profile,
    dm018_experimental,
)

RULES: tuple[AuditRule, ...] = (
    dm001_rootless.check,
    dm002_icc.check,
    dm003_log_level.check,
    dm004_iptables.check,
    dm005_insecure_registries.check,
    dm006_aufs.check,
    dm007_tls.check,
    dm008_default_ulimit.check,
    dm009_userns.check,
    dm010_cgroup_parent.check,
    dm011_base_device_size.check,
    dm012_authorization_plugin.check,
    dm013_remote_logging.check,
    dm014_no_new_privileges.check,
    dm015_live_restore.check,
    dm016_userland_proxy.check,
    dm017_seccomp_profile.check,
    dm018_experimental.check,
)
