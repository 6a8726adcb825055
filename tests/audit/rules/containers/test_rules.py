"""Edge cases of the container runtime rules that fixture folders cannot express."""

from __future__ import annotations

from typing import Any

import pytest

from seawall.audit.model import Verdict
from seawall.audit.rules.containers import (
    rt001_swarm_mode,
    rt006_sensitive_mounts,
    rt007_sshd,
    rt023_privileged_exec,
    rt024_root_exec,
    rt026_no_new_privileges,
    rt028_current_image,
    rt032_docker_socket,
)
from seawall.facts import AuditFacts
from seawall.facts.container import parse_container
from seawall.model import Outcome
from tests.audit.facts_fixture import facts_from_fixture

RUNNING: dict[str, Any] = {"Id": "c1", "Name": "/web", "State": {"Running": True}, "HostConfig": {}}


def _one(v: Verdict | Any) -> Verdict:
    assert isinstance(v, Verdict)
    return v


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("/usr/sbin/sshd -D", "sshd"),
        ("sshd", "sshd"),
        ("sshd: alice@pts/0", "sshd"),
        ("sshd: alice [priv]", "sshd"),
        ("[sshd]", "sshd"),
        ("sshd-session: alice@notty", "sshd-session"),
        ("/usr/sbin/dropbear -F", "dropbear"),
        ("/usr/local/bin/sshd_exporter", None),
        ("/bin/sh -c /usr/sbin/sshd", None),
        ("ssh -N tunnel", None),
        ("", None),
    ],
)
def test_ssh_daemon_name(command: str, name: str | None) -> None:
    assert rt007_sshd.ssh_daemon_name(command) == name


def test_sshd_without_process_list_errors_with_the_reason() -> None:
    facts = facts_from_fixture({})
    c = parse_container(RUNNING, processes_error="top: permission denied")
    v = _one(rt007_sshd.check.check(c, facts))
    assert v.outcome is Outcome.ERROR
    assert v.reason == "top: permission denied"


def test_exec_rules_error_with_the_collector_reason() -> None:
    facts = facts_from_fixture({})
    c = parse_container(RUNNING, execs_error="exec inspect: 404 no such exec")
    for rule in (rt023_privileged_exec.check, rt024_root_exec.check):
        v = _one(rule.check(c, facts))
        assert v.outcome is Outcome.ERROR
        assert v.reason == "exec inspect: 404 no such exec"


def test_root_exec_uses_container_user_when_exec_has_none() -> None:
    exec_doc = {
        "ID": "e1",
        "ProcessConfig": {"entrypoint": "sh", "arguments": [], "privileged": False},
    }
    facts = facts_from_fixture({})
    nonroot = parse_container({**RUNNING, "Config": {"User": "1000"}}, execs=[exec_doc])
    root = parse_container({**RUNNING, "Config": {"User": "0:1000"}}, execs=[exec_doc])
    assert _one(rt024_root_exec.check.check(nonroot, facts)).outcome is Outcome.PASS
    assert _one(rt024_root_exec.check.check(root, facts)).outcome is Outcome.FAIL


def test_swarm_rule_without_swarm_section_errors() -> None:
    facts = facts_from_fixture({})
    bare = AuditFacts(
        collected_at=facts.collected_at,
        settings=facts.settings,
        host=facts.host,
        daemon=facts.daemon,
        engine=None,
        engine_error="timed out",
    )
    assert _one(rt001_swarm_mode.check.check(bare)).outcome is Outcome.ERROR
    assert facts.engine is not None
    facts.engine.info.pop("Swarm")
    assert _one(rt001_swarm_mode.check.check(facts)).outcome is Outcome.ERROR


@pytest.mark.parametrize(
    ("source", "sensitive"),
    [
        ("/", True),
        ("/etc", True),
        ("/etc/", True),
        ("/lib64/ld.so", True),
        ("/sys/fs/cgroup", True),
        ("/var/lib/docker/volumes/x/_data", True),
        ("/etcetera", False),
        ("/srv", False),
        ("/var/lib/dockerd", False),
        ("/run", False),
    ],
)
def test_sensitive_paths(source: str, sensitive: bool) -> None:
    assert rt006_sensitive_mounts.is_sensitive(source) is sensitive


@pytest.mark.parametrize(
    ("opts", "setting"),
    [
        ((), None),
        (("no-new-privileges",), True),
        (("no-new-privileges:true",), True),
        (("no-new-privileges=true",), True),
        (("no-new-privileges:false",), False),
        (("no-new-privileges", "no-new-privileges=false"), False),
        (("no-new-privileges:false", "no-new-privileges"), True),
        (("no-new-privileges:maybe",), None),
        (("no-new-privilegesx",), None),
    ],
)
def test_no_new_privileges_forms(opts: tuple[str, ...], setting: bool | None) -> None:
    got = rt026_no_new_privileges.container_setting(opts)
    assert (got[0] if got else None) is setting


def test_no_new_privileges_warns_when_daemon_default_unknown() -> None:
    facts = facts_from_fixture(
        {
            "daemon": {
                "pid": None,
                "cmdline": None,
                "process_error": "no dockerd found",
                "config": None,
                "config_error": "daemon.json: permission denied",
            },
            "containers": [{"Id": "c1", "Name": "/web", "HostConfig": {}}],
        }
    )
    assert facts.engine is not None
    v = _one(rt026_no_new_privileges.check.check(facts.engine.containers[0], facts))
    assert v.outcome is Outcome.WARN


@pytest.mark.parametrize(
    ("ref", "tag"),
    [
        ("busybox", "busybox:latest"),
        ("busybox:1.36", "busybox:1.36"),
        ("docker.io/library/busybox", "busybox:latest"),
        ("docker.io/bitnami/redis:7", "bitnami/redis:7"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("registry.example.com:5000/shop/web:1.4", "registry.example.com:5000/shop/web:1.4"),
    ],
)
def test_normalise_tag(ref: str, tag: str) -> None:
    assert rt028_current_image.normalise_tag(ref) == tag


def test_is_pinned() -> None:
    image_id = "sha256:" + "ab12" * 16
    assert rt028_current_image.is_pinned("web@sha256:" + "0" * 64, "sha256:" + "f" * 64)
    assert rt028_current_image.is_pinned("ab12ab12ab12", image_id)
    assert rt028_current_image.is_pinned(image_id, image_id)
    assert not rt028_current_image.is_pinned("cafe", image_id)
    assert not rt028_current_image.is_pinned("busybox", image_id)


@pytest.mark.parametrize(
    ("source", "exposed"),
    [
        ("/var/run/docker.sock", True),
        ("/run/docker.sock", True),
        ("/var/run", True),
        ("/run/", True),
        ("/", True),
        ("/var", False),
        ("/run/docker", False),
        ("/var/run/docker.sock.d", False),
        ("/run/user/1000", False),
    ],
)
def test_socket_exposure_default_endpoint(source: str, exposed: bool) -> None:
    sockets = rt032_docker_socket.socket_paths(facts_from_fixture({}))
    assert sockets == ("/run/docker.sock",)
    assert rt032_docker_socket.exposes_socket(source, sockets) is exposed


def test_socket_paths_include_audited_unix_endpoint_only() -> None:
    rootless = facts_from_fixture({"daemon": {"endpoint": "unix:///run/user/1000/docker.sock"}})
    assert "/run/user/1000/docker.sock" in rt032_docker_socket.socket_paths(rootless)
    tcp = facts_from_fixture({"daemon": {"endpoint": "tcp://10.0.0.5:2376"}})
    assert rt032_docker_socket.socket_paths(tcp) == ("/run/docker.sock",)


def test_current_image_errors_without_image_list() -> None:
    facts = facts_from_fixture(
        {
            "engine": {"errors": {"images": "GET /images/json: 500"}},
            "containers": [
                {
                    "Id": "c1",
                    "Name": "/web",
                    "Image": "sha256:" + "1" * 64,
                    "Config": {"Image": "web:1"},
                    "HostConfig": {},
                }
            ],
        }
    )
    assert facts.engine is not None
    v = _one(rt028_current_image.check.check(facts.engine.containers[0], facts))
    assert v.outcome is Outcome.ERROR
    assert "GET /images/json: 500" in (v.reason or "")
