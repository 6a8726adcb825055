"""effective_config: defaults < daemon.json < command line < /info and bridge."""

from __future__ import annotations

from typing import Any

from seawall.facts import DaemonFacts, EngineFacts
from seawall.facts.daemon_config import (
    as_bool,
    effective_config,
    security_options,
    tcp_hosts,
)

ENDPOINT = "unix:///var/run/docker.sock"


def daemon(
    cmdline: list[str] | None = None, config: dict[str, Any] | None = None, **kw: Any
) -> DaemonFacts:
    return DaemonFacts(
        endpoint=ENDPOINT,
        pid=4242 if cmdline is not None else None,
        cmdline=tuple(cmdline) if cmdline is not None else None,
        config=config,
        **kw,
    )


def engine(info: dict[str, Any] | None = None, bridge: dict[str, Any] | None = None) -> EngineFacts:
    return EngineFacts(endpoint=ENDPOINT, api_version="1.41", info=info or {}, bridge=bridge)


def test_defaults_when_nothing_set() -> None:
    cfg = effective_config(daemon(["dockerd"], {}), None)
    assert cfg.flags_known
    assert cfg.get("icc") is True
    assert cfg.get("iptables") is True
    assert cfg.get("log-level") == "info"
    assert cfg.get("userland-proxy") is True
    assert cfg.get("live-restore") is False
    assert cfg.get("no-new-privileges") is False
    assert cfg.get("tlscacert") is None  # TLS file defaults only apply when TLS is on
    assert cfg.source("icc") == "default"
    assert cfg.gaps == ()


def test_daemon_json_then_cmdline() -> None:
    cfg = effective_config(
        daemon(
            ["dockerd", "--log-level=warn"], {"icc": False, "log-level": "debug", "debug": True}
        ),
        None,
    )
    assert (cfg.get("icc"), cfg.source("icc")) == (False, "daemon.json")
    assert (cfg.get("log-level"), cfg.source("log-level")) == ("warn", "cmdline")
    assert cfg.get_bool("debug") is True


def test_config_file_key_recorded() -> None:
    cfg = effective_config(daemon(["dockerd", "--config-file", "/srv/d.json"], {}), None)
    assert cfg.get("config-file") == "/srv/d.json"


def test_info_is_runtime_truth() -> None:
    info = {
        "Driver": "aufs",
        "LoggingDriver": "journald",
        "Debug": True,
        "DockerRootDir": "/srv/docker",
        "LiveRestoreEnabled": True,
        "ExperimentalBuild": True,
        "CgroupDriver": "systemd",
        "Plugins": {"Authorization": ["authz-broker"]},
        "SecurityOptions": [
            "name=seccomp,profile=/etc/docker/sc.json",
            "name=userns",
            "name=rootless",
        ],
        "RegistryConfig": {
            "InsecureRegistryCIDRs": ["127.0.0.0/8", "10.1.0.0/16"],
            "IndexConfigs": {
                "docker.io": {"Name": "docker.io", "Secure": True},
                "myreg:5000": {"Name": "myreg:5000", "Secure": False},
            },
        },
    }
    # daemon.json says otherwise: it was edited after the daemon started.
    cfg = effective_config(
        daemon(["dockerd"], {"live-restore": False, "log-driver": "json-file"}), engine(info)
    )
    assert cfg.get("storage-driver") == "aufs"
    assert (cfg.get("log-driver"), cfg.source("log-driver")) == ("journald", "info")
    assert cfg.get("debug") is True
    assert cfg.get("data-root") == "/srv/docker"
    assert (cfg.get("live-restore"), cfg.source("live-restore")) == (True, "info")
    assert cfg.get("experimental") is True
    assert cfg.get("cgroup-driver") == "systemd"
    assert cfg.get("authorization-plugins") == ["authz-broker"]
    assert cfg.get("seccomp-profile") == "/etc/docker/sc.json"
    assert cfg.get("userns-remap") == "(active)"
    assert cfg.get("rootless") is True
    assert cfg.get("insecure-registries") == ["127.0.0.0/8", "10.1.0.0/16", "myreg:5000"]


def test_userns_keeps_configured_value_and_inactive_is_empty() -> None:
    on = engine({"SecurityOptions": ["name=userns"]})
    assert (
        effective_config(daemon(["dockerd", "--userns-remap=default"], {}), on).get("userns-remap")
        == "default"
    )
    off = engine({"SecurityOptions": ["name=seccomp,profile=default"]})
    cfg = effective_config(daemon(["dockerd", "--userns-remap=default"], {}), off)
    assert (cfg.get("userns-remap"), cfg.source("userns-remap")) == ("", "info")
    assert cfg.get("seccomp-profile") == "default"
    assert cfg.get("rootless") is False


def test_null_authorization_plugins() -> None:
    cfg = effective_config(daemon(["dockerd"], {}), engine({"Plugins": {"Authorization": None}}))
    assert (cfg.get("authorization-plugins"), cfg.source("authorization-plugins")) == ([], "info")


def test_icc_from_bridge_options() -> None:
    bridge = {"Name": "bridge", "Options": {"com.docker.network.bridge.enable_icc": "false"}}
    cfg = effective_config(daemon(["dockerd"], {}), engine({}, bridge))
    assert (cfg.get("icc"), cfg.source("icc")) == (False, "bridge")
    # No bridge network: the configured value stays.
    cfg = effective_config(daemon(["dockerd", "--icc=false"], {}), engine({}, None))
    assert (cfg.get("icc"), cfg.source("icc")) == (False, "cmdline")


def test_tls_default_files_when_tls_on() -> None:
    cfg = effective_config(
        daemon(["dockerd", "--tlsverify", "--tlscert=/etc/d/cert.pem"], {}), None
    )
    assert cfg.get("tlscacert") == "/root/.docker/ca.pem"
    assert cfg.source("tlscacert") == "default"
    assert (cfg.get("tlscert"), cfg.source("tlscert")) == ("/etc/d/cert.pem", "cmdline")


def test_cgroup_driver_from_exec_opts_without_engine() -> None:
    cfg = effective_config(
        daemon(["dockerd"], {"exec-opts": ["native.cgroupdriver=systemd"]}), None
    )
    assert (cfg.get("cgroup-driver"), cfg.source("cgroup-driver")) == ("systemd", "daemon.json")


def test_flags_unknown_without_process_and_daemon_json() -> None:
    d = daemon(None, None, process_error="remote endpoint", config_error="daemon.json: not read")
    cfg = effective_config(d, None)
    assert not cfg.flags_known
    assert cfg.flags_reason == "command line: remote endpoint; daemon.json: not read"


def test_gaps_when_one_source_missing() -> None:
    d = daemon(
        ["dockerd"], None, config_error="daemon.json at /etc/docker/daemon.json: invalid JSON"
    )
    cfg = effective_config(d, None)
    assert cfg.flags_known
    assert cfg.gaps == ("daemon.json at /etc/docker/daemon.json: invalid JSON",)
    cfg = effective_config(daemon(None, {}, process_error="no dockerd"), None)
    assert cfg.flags_known
    assert cfg.gaps == ("command line: no dockerd",)


def test_unknown_flags_surface() -> None:
    cfg = effective_config(daemon(["dockerd", "--shiny=1"], {}), None)
    assert cfg.unknown_flags == ("--shiny=1",)


def test_helpers() -> None:
    assert as_bool("false") is False
    assert as_bool("TRUE") is True
    assert as_bool(1) is None
    assert security_options(
        {"SecurityOptions": ["name=seccomp,profile=default", "apparmor", "name=userns"]}
    ) == {
        "seccomp": {"profile": "default"},
        "apparmor": {},
        "userns": {},
    }
    assert tcp_hosts(
        ["fd://", "unix:///x", "tcp://0.0.0.0:2375", "0.0.0.0:2376", "/run/x.sock"]
    ) == (
        "tcp://0.0.0.0:2375",
        "0.0.0.0:2376",
    )
