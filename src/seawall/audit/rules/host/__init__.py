"""Audit rules, CIS section 1, host configuration (IDs HO###). Each module is one rule; list it here.

``_common`` and ``_watch`` are shared helpers, not rules.
"""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.host import (
    ho001_separate_partition,
    ho002_docker_group,
    ho003_audit_dockerd,
    ho004_audit_run_containerd,
    ho005_audit_data_root,
    ho006_audit_etc_docker,
    ho007_audit_docker_service,
    ho008_audit_containerd_sock,
    ho009_audit_docker_socket,
    ho010_audit_etc_default_docker,
    ho011_audit_daemon_json,
    ho012_audit_containerd_config,
    ho013_audit_sysconfig_docker,
    ho014_audit_containerd,
    ho015_audit_containerd_shim,
    ho016_audit_shim_runc_v1,
    ho017_audit_shim_runc_v2,
    ho018_audit_runc,
    ho019_docker_version,
)

RULES: tuple[AuditRule, ...] = (
    ho001_separate_partition.check,
    ho002_docker_group.check,
    ho003_audit_dockerd.check,
    ho004_audit_run_containerd.check,
    ho005_audit_data_root.check,
    ho006_audit_etc_docker.check,
    ho007_audit_docker_service.check,
    ho008_audit_containerd_sock.check,
    ho009_audit_docker_socket.check,
    ho010_audit_etc_default_docker.check,
    ho011_audit_daemon_json.check,
    ho012_audit_containerd_config.check,
    ho013_audit_sysconfig_docker.check,
    ho014_audit_containerd.check,
    ho015_audit_containerd_shim.check,
    ho016_audit_shim_runc_v1.check,
    ho017_audit_shim_runc_v2.check,
    ho018_audit_runc.check,
    ho019_docker_version.check,
)
