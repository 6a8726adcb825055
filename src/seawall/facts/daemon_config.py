"""The audited daemon's effective configuration: command line + daemon.json + /info + bridge.

Pure. ``effective_config`` layers, lowest first:

1. ``default``      dockerd 20.10's built-in defaults (``DEFAULTS``)
2. ``daemon.json``  ``facts.daemon.config``
3. ``cmdline``      the flags dockerd was started with (dockerd refuses a setting given both
                    ways, so for a running daemon 2 and 3 never disagree; flags win if they do)
4. ``info`` / ``bridge``  what the running engine reports. This is the truth of the moment
                    (daemon.json may have been edited since the daemon started), so it wins.

Keys are daemon.json names. Values have daemon.json shapes: booleans, strings, lists of
strings (``hosts``, ``insecure-registries``, ``authorization-plugins``, ``storage-opts``,
``exec-opts`` ...), ``log-opts`` a string map, ``default-ulimits`` a map of
``{"Name", "Soft", "Hard"}`` objects. Keys answered at runtime:

=========================  ========================================================
``storage-driver``         ``/info`` Driver
``log-driver``             ``/info`` LoggingDriver
``debug``                  ``/info`` Debug
``data-root``              ``/info`` DockerRootDir
``live-restore``           ``/info`` LiveRestoreEnabled
``experimental``           ``/info`` ExperimentalBuild
``authorization-plugins``  ``/info`` Plugins.Authorization
``insecure-registries``    ``/info`` RegistryConfig: InsecureRegistryCIDRs (including the
                           implicit ``127.0.0.0/8``) + IndexConfigs names with Secure=false
``rootless``               ``/info`` SecurityOptions ``name=rootless``
``userns-remap``           ``/info`` SecurityOptions ``name=userns``: the configured value
                           when there is one, else ``"(active)"``; ``""`` when not active
``seccomp-profile``        ``/info`` SecurityOptions ``name=seccomp,profile=P``: ``default``,
                           ``unconfined`` or the path; ``""`` when seccomp is unavailable
``cgroup-driver``          ``/info`` CgroupDriver (no daemon.json key of its own: it is the
                           ``native.cgroupdriver`` exec-opt; derived from exec-opts otherwise)
``icc``                    default bridge network option ``com.docker.network.bridge.enable_icc``
=========================  ========================================================

Everything else is only known from the command line and daemon.json. Keys always present
(``DEFAULTS``): ``authorization-plugins``, ``bridge``, ``cgroup-parent``, ``data-root``,
``debug``, ``default-ulimits``, ``exec-opts``, ``exec-root``, ``experimental``, ``hosts``,
``icc``, ``insecure-registries``, ``ip-forward``, ``ip-masq``, ``ip6tables``, ``iptables``,
``live-restore``, ``log-driver``, ``log-level``, ``log-opts``, ``no-new-privileges``,
``pidfile``, ``rootless``, ``seccomp-profile``, ``selinux-enabled``, ``storage-driver``,
``storage-opts``, ``tls``, ``tlsverify``, ``userland-proxy``, ``userns-remap``.
``tlscacert``/``tlscert``/``tlskey`` are present when set, and default to
``/root/.docker/{ca,cert,key}.pem`` (source ``default``) when ``tls`` or ``tlsverify`` is on,
as dockerd does. Any other flag or daemon.json key (``config-file``, ``runtimes``,
``registry-mirrors``, ``labels``, ``default-address-pools`` ...) appears under its daemon.json
name when set; see ``seawall.facts.dockerd_flags.FLAGS`` for the flag -> key table.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seawall.facts.daemon import DaemonFacts
from seawall.facts.dockerd_flags import parse_dockerd_args
from seawall.facts.engine import EngineFacts

#: dockerd 20.10 defaults for the settings the audit looks at (``dockerd --help``).
DEFAULTS: Mapping[str, Any] = {
    "authorization-plugins": [],
    "bridge": "",
    "cgroup-parent": "",
    "data-root": "/var/lib/docker",
    "debug": False,
    "default-ulimits": {},
    "exec-opts": [],
    "exec-root": "/var/run/docker",
    "experimental": False,
    "hosts": [],
    "icc": True,
    "insecure-registries": [],
    "ip-forward": True,
    "ip-masq": True,
    "ip6tables": False,
    "iptables": True,
    "live-restore": False,
    "log-driver": "json-file",
    "log-level": "info",
    "log-opts": {},
    "no-new-privileges": False,
    "pidfile": "/var/run/docker.pid",
    "rootless": False,
    "seccomp-profile": "",
    "selinux-enabled": False,
    "storage-driver": "",
    "storage-opts": [],
    "tls": False,
    "tlsverify": False,
    "userland-proxy": True,
    "userns-remap": "",
}

#: Where dockerd looks for TLS files when --tlscacert/--tlscert/--tlskey are not given
#: (``$DOCKER_CERT_PATH`` or ``~/.docker`` of the user running dockerd: root for a rootful one).
DEFAULT_TLS_FILES: Mapping[str, str] = {
    "tlscacert": "/root/.docker/ca.pem",
    "tlscert": "/root/.docker/cert.pem",
    "tlskey": "/root/.docker/key.pem",
}

_ICC_OPTION = "com.docker.network.bridge.enable_icc"


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    """Effective settings keyed by daemon.json names (``icc``, ``log-level``, ``tlscacert`` ...).

    ``sources[key]`` says where a value came from: ``cmdline``, ``daemon.json``, ``info``,
    ``bridge`` or ``default``. ``flags_known`` is false when neither the command line nor
    daemon.json could be read; ``flags_reason`` then says why (flag-only checks ``skip``).
    ``gaps`` names each configuration source that could not be read while the other could
    (e.g. ``daemon.json at /etc/docker/daemon.json: invalid JSON ...``): a value whose source
    is ``default`` may then be wrong. ``unknown_flags`` lists command line flags seawall does
    not know (kept under their own name, value as a string).
    """

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    flags_known: bool = True
    flags_reason: str | None = None
    gaps: tuple[str, ...] = ()
    unknown_flags: tuple[str, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        """The effective value of a setting, or ``default`` when unset."""
        return self.values.get(key, default)

    def source(self, key: str) -> str:
        """Where the value of ``key`` came from (``""`` when unset)."""
        return self.sources.get(key, "")

    def get_bool(self, key: str) -> bool | None:
        """A boolean setting; strings ``true``/``false`` are accepted, anything else is ``None``."""
        return as_bool(self.values.get(key))

    def get_list(self, key: str) -> tuple[str, ...]:
        """A list setting as strings (a lone string counts as a one-item list)."""
        value = self.values.get(key)
        if isinstance(value, str):
            return (value,) if value else ()
        if isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        return ()


def as_bool(value: Any) -> bool | None:
    """``True``/``False`` for a boolean or a Go ``strconv.ParseBool`` spelling, else ``None``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("1", "t", "true"):
            return True
        if low in ("0", "f", "false"):
            return False
    return None


def security_options(info: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``/info`` SecurityOptions (``name=seccomp,profile=default``) -> ``{"seccomp": {...}}``.

    Pre-1.26 engines report bare names (``seccomp``); those map to an empty option dict.
    """
    out: dict[str, dict[str, str]] = {}
    raw = info.get("SecurityOptions")
    for entry in raw if isinstance(raw, list) else []:
        parts = [p for p in str(entry).split(",") if p]
        if parts and "=" not in parts[0]:
            parts[0] = f"name={parts[0]}"
        opts = dict(p.partition("=")[::2] for p in parts)
        name = opts.pop("name", "")
        if name:
            out[name] = opts
    return out


def _info_values(info: Mapping[str, Any], configured: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, field_name in (
        ("storage-driver", "Driver"),
        ("log-driver", "LoggingDriver"),
        ("data-root", "DockerRootDir"),
        ("cgroup-driver", "CgroupDriver"),
    ):
        if isinstance(info.get(field_name), str) and info[field_name]:
            out[key] = info[field_name]
    for key, field_name in (
        ("debug", "Debug"),
        ("live-restore", "LiveRestoreEnabled"),
        ("experimental", "ExperimentalBuild"),
    ):
        if isinstance(info.get(field_name), bool):
            out[key] = info[field_name]
    plugins = info.get("Plugins")
    if isinstance(plugins, dict) and "Authorization" in plugins:
        authz = plugins.get("Authorization")
        out["authorization-plugins"] = [str(p) for p in authz] if isinstance(authz, list) else []
    registry = info.get("RegistryConfig")
    if isinstance(registry, dict):
        out["insecure-registries"] = _insecure_from_info(registry)
    if "SecurityOptions" in info:
        sec = security_options(info)
        out["rootless"] = "rootless" in sec
        remap = configured.get("userns-remap")
        out["userns-remap"] = (str(remap) if remap else "(active)") if "userns" in sec else ""
        seccomp = sec.get("seccomp")
        out["seccomp-profile"] = "" if seccomp is None else seccomp.get("profile", "default")
    return out


def _insecure_from_info(registry: Mapping[str, Any]) -> list[str]:
    cidrs = registry.get("InsecureRegistryCIDRs")
    out = [str(c) for c in cidrs] if isinstance(cidrs, list) else []
    index = registry.get("IndexConfigs")
    for name, cfg in sorted(index.items()) if isinstance(index, dict) else []:
        if isinstance(cfg, dict) and cfg.get("Secure") is False and str(name) not in out:
            out.append(str(name))
    return out


def _bridge_values(bridge: Mapping[str, Any] | None) -> dict[str, Any]:
    if not bridge:
        return {}
    options = bridge.get("Options")
    if isinstance(options, dict) and _ICC_OPTION in options:
        icc = as_bool(options[_ICC_OPTION])
        if icc is not None:
            return {"icc": icc}
    return {}


def _cgroup_driver_from_exec_opts(values: Mapping[str, Any]) -> str | None:
    opts = values.get("exec-opts")
    for opt in opts if isinstance(opts, list) else []:
        key, _, val = str(opt).partition("=")
        if key.strip() == "native.cgroupdriver" and val.strip():
            return val.strip()
    return None


def effective_config(daemon: DaemonFacts, engine: EngineFacts | None) -> DaemonConfig:
    """Merge command line, daemon.json, ``/info`` and the bridge network into one view."""
    values: dict[str, Any] = dict(DEFAULTS)
    sources = dict.fromkeys(DEFAULTS, "default")

    def layer(new: Mapping[str, Any], source: str) -> None:
        for key, value in new.items():
            values[key] = value
            sources[key] = source

    cmd_values: dict[str, Any] = {}
    unknown: tuple[str, ...] = ()
    if daemon.cmdline is not None:
        parsed = parse_dockerd_args(daemon.cmdline)
        cmd_values, unknown = parsed.values, parsed.unknown
    if daemon.config is not None:
        # a copy: rules get the values, never a handle on the facts' own objects
        layer(copy.deepcopy(daemon.config), "daemon.json")
    layer(cmd_values, "cmdline")
    _tls_defaults(values, sources)
    driver = _cgroup_driver_from_exec_opts(values)
    if driver:
        layer({"cgroup-driver": driver}, sources.get("exec-opts", "default"))
    if engine is not None:
        layer(_info_values(engine.info, values), "info")
        layer(_bridge_values(engine.bridge), "bridge")

    gaps = []
    if daemon.cmdline is None:
        gaps.append(f"command line: {daemon.process_error or 'daemon process not found'}")
    if daemon.config is None:
        gaps.append(daemon.config_error or "daemon.json: not read")
    known = daemon.cmdline is not None or daemon.config is not None
    return DaemonConfig(
        values=values,
        sources=sources,
        flags_known=known,
        flags_reason=None if known else "; ".join(gaps),
        gaps=tuple(gaps) if known else (),
        unknown_flags=unknown,
    )


def _tls_defaults(values: dict[str, Any], sources: dict[str, str]) -> None:
    # dockerd falls back to ~/.docker/{ca,cert,key}.pem only when TLS is in use.
    if as_bool(values.get("tls")) or as_bool(values.get("tlsverify")):
        for key, path in DEFAULT_TLS_FILES.items():
            if not values.get(key):
                values[key] = path
                sources[key] = "default"


def tcp_hosts(hosts: Sequence[str]) -> tuple[str, ...]:
    """The TCP listeners among dockerd ``-H``/``hosts`` values (a bare ``host:port`` is TCP)."""
    out = []
    for h in hosts:
        h = h.strip()
        scheme, sep, _ = h.partition("://")
        if (sep and scheme.lower() in ("tcp", "http", "https")) or (
            not sep and h and not h.startswith("/")
        ):
            out.append(h)
    return tuple(out)
