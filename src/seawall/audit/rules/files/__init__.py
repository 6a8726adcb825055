"""Audit rules, CIS section 3, daemon configuration files (IDs FP###). Each module is one rule; list it here.

``_perms`` holds the shared checks, it is not a rule.
"""

from __future__ import annotations

from seawall.audit.model import AuditRule
from seawall.audit.rules.files import (
    fp001_docker_service_owner,
    fp002_docker_service_mode,
    fp003_docker_socket_unit_owner,
    fp004_docker_socket_unit_mode,
    fp005_etc_docker_owner,
    fp006_etc_docker_mode,
    fp007_registry_certs_owner,
    fp008_registry_certs_mode,
    fp009_tls_ca_owner,
    fp010_tls_ca_mode,
    fp011_tls_cert_owner,
    fp012_tls_cert_mode,
    fp013_tls_key_owner,
    fp014_tls_key_mode,
    fp015_docker_sock_owner,
    fp016_docker_sock_mode,
    fp017_daemon_json_owner,
    fp018_daemon_json_mode,
    fp019_etc_default_docker_owner,
    fp020_etc_default_docker_mode,
    fp021_sysconfig_docker_mode,
    fp022_sysconfig_docker_owner,
    fp023_containerd_sock_owner,
    fp024_containerd_sock_mode,
)

RULES: tuple[AuditRule, ...] = (
    fp001_docker_service_owner.check,
    fp002_docker_service_mode.check,
    fp003_docker_socket_unit_owner.check,
    fp004_docker_socket_unit_mode.check,
    fp005_etc_docker_owner.check,
    fp006_etc_docker_mode.check,
    fp007_registry_certs_owner.check,
    fp008_registry_certs_mode.check,
    fp009_tls_ca_owner.check,
    fp010_tls_ca_mode.check,
    fp011_tls_cert_owner.check,
    fp012_tls_cert_mode.check,
    fp013_tls_key_owner.check,
    fp014_tls_key_mode.check,
    fp015_docker_sock_owner.check,
    fp016_docker_sock_mode.check,
    fp017_daemon_json_owner.check,
    fp018_daemon_json_mode.check,
    fp019_etc_default_docker_owner.check,
    fp020_etc_default_docker_mode.check,
    fp021_sysconfig_docker_mode.check,
    fp022_sysconfig_docker_owner.check,
    fp023_containerd_sock_owner.check,
    fp024_containerd_sock_mode.check,
)
