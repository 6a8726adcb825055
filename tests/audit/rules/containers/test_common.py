"""The shared helpers of the container runtime rules."""

from __future__ import annotations

import dataclasses

import pytest

from seawall.audit.rules.containers._common import (
    DEFAULT_CAPS,
    clean_path,
    engine_security_option,
    exec_records,
    exec_str,
    go_bool,
    is_all_interfaces,
    is_root_user,
    is_within,
    port_str,
    published_ports,
    security_opt_values,
    unique,
)
from seawall.facts.container import ContainerFacts, ExecFacts, PortBinding, parse_container
from seawall.model import Outcome
from tests.audit.facts_fixture import facts_from_fixture


@pytest.mark.parametrize(
    ("path", "root", "within"),
    [
        ("/etc", "/etc", True),
        ("/etc/passwd", "/etc", True),
        ("/etc/", "/etc", True),
        ("//etc//ssh/", "/etc", True),
        ("/etc/../srv", "/etc", False),
        ("/etcetera", "/etc", False),
        ("/home/u/etc", "/etc", False),
        ("/anything", "/", True),
        ("/var/lib/docker-data", "/var/lib/docker", False),
    ],
)
def test_is_within_is_component_wise(path: str, root: str, within: bool) -> None:
    assert is_within(path, root) is within


def test_clean_path() -> None:
    assert clean_path("//etc/") == "/etc"
    assert clean_path("/") == "/"
    assert clean_path("") == ""


@pytest.mark.parametrize(
    ("ip", "wide"),
    [
        ("", True),
        ("0.0.0.0", True),
        ("::", True),
        ("[::]", True),
        ("0:0:0:0:0:0:0:0", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.0.0.5", False),
        ("not-an-ip", False),
    ],
)
def test_is_all_interfaces(ip: str, wide: bool) -> None:
    assert is_all_interfaces(ip) is wide


def test_port_str_shapes() -> None:
    assert port_str(PortBinding(80, "tcp", "", 80)) == "0.0.0.0:80->80/tcp"
    assert port_str(PortBinding(8080, "tcp", "::", 8080)) == "[::]:8080->8080/tcp"
    assert port_str(PortBinding(53, "udp", "127.0.0.1", None)) == "127.0.0.1:<random>->53/udp"


def test_published_ports_ignores_discarded_host_network_bindings() -> None:
    hc = {"PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "80"}]}}
    host = parse_container({"Id": "a", "Name": "/h", "HostConfig": {"NetworkMode": "host", **hc}})
    bridge = parse_container(
        {"Id": "b", "Name": "/b", "HostConfig": {"NetworkMode": "default", **hc}}
    )
    assert published_ports(host) == ()
    assert [p.host_port for p in published_ports(bridge)] == [80]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("1", True),
        ("T", True),
        ("False", False),
        ("0", False),
        ("yes", None),
        ("", None),
    ],
)
def test_go_bool(text: str, value: bool | None) -> None:
    assert go_bool(text) is value


def test_security_opt_values_both_separators() -> None:
    c = parse_container(
        {
            "Id": "a",
            "Name": "/a",
            "HostConfig": {"SecurityOpt": ["label=disable", "label:user:u", "labelx=1"]},
        }
    )
    assert security_opt_values(c, "label") == ("disable", "user:u")


def test_engine_security_option_parses_fields() -> None:
    facts = facts_from_fixture(
        {"engine": {"info": {"SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin"]}}}
    )
    assert engine_security_option(facts, "seccomp") == {"name": "seccomp", "profile": "builtin"}
    assert engine_security_option(facts, "apparmor") == {"name": "apparmor"}
    assert engine_security_option(facts, "selinux") is None
    assert engine_security_option(facts_from_fixture({"no_engine": "down"}), "seccomp") is None


@pytest.mark.parametrize(
    ("user", "root"),
    [
        ("", True),
        ("root", True),
        ("0", True),
        ("0:0", True),
        ("root:wheel", True),
        ("1000", False),
        ("app", False),
        ("1000:0", False),
        ("nobody:nogroup", False),
    ],
)
def test_is_root_user(user: str, root: bool) -> None:
    assert is_root_user(user) is root


def test_exec_str_hides_arguments() -> None:
    e = ExecFacts(id="a" * 64, privileged=True, user="", command="mysql -pS3cret -e 'drop'")
    assert exec_str(e) == "exec aaaaaaaaaaaa: mysql (user default)"
    assert "S3cret" not in exec_str(e)


def test_exec_records_gate() -> None:
    e = ExecFacts(id="a" * 64, privileged=False, user="", command="sh")
    base = ContainerFacts(
        id="c", name="c", image="i", image_id="i", created="", running=True, status="running"
    )
    assert exec_records(dataclasses.replace(base, execs=(e,))) == (e,)
    stopped = exec_records(dataclasses.replace(base, running=False, status="exited", execs=(e,)))
    assert not isinstance(stopped, tuple)
    assert stopped.outcome is Outcome.SKIP
    unread = exec_records(dataclasses.replace(base, execs=None, execs_error="exec inspect: 500"))
    assert not isinstance(unread, tuple)
    assert (unread.outcome, unread.reason) == (Outcome.ERROR, "exec inspect: 500")


def test_default_caps_and_unique() -> None:
    assert len(DEFAULT_CAPS) == 14
    assert "SYS_ADMIN" not in DEFAULT_CAPS
    assert unique(["b", "a", "b"]) == ("b", "a")
