"""The audit rule parser behind HO003-HO018, the mount lookup of HO001 and the host path table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.audit.rules.host._watch import AuditWatch, find_watch, parse_audit_rules
from seawall.audit.rules.host.ho001_separate_partition import covering_mount
from seawall.facts.host import MountPoint
from seawall.facts.host_paths import audited_paths, collected_paths, file_item_paths, key


def _watched(line: str) -> list[tuple[str, bool]]:
    return [(w.path, w.subtree) for w in parse_audit_rules([line])]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("-w /usr/bin/dockerd -p wa -k docker", [("/usr/bin/dockerd", True)]),
        ("-w /etc/docker/ -k docker", [("/etc/docker", True)]),
        ('-w "/etc/my docker" -p wa', [("/etc/my docker", True)]),
        ("-p wa -k docker -w /run/containerd", [("/run/containerd", True)]),
        ("-a always,exit -F path=/usr/bin/runc -F perm=wa -k docker", [("/usr/bin/runc", False)]),
        (
            "-a exit,always -F dir=/var/lib/docker -F perm=war -F key=docker",
            [("/var/lib/docker", True)],
        ),
        (
            "-A always,exit -F arch=b64 -F path=/usr/bin/containerd -S all",
            [("/usr/bin/containerd", False)],
        ),
        # Watching nothing: never actions, other lists, negations, removals, comments, controls.
        ("-a never,exit -F dir=/var/lib/docker", []),
        ("-a always,exclude -F msgtype=CWD", []),
        ("-a always,user -F path=/usr/bin/runc", []),
        ("-a always,exit -F path!=/usr/bin/runc", []),
        ("-W /etc/docker -p wa -k docker", []),
        ("# -w /etc/docker -k docker", []),
        ("-D", []),
        ("-b 8192", []),
        ("-w relative/path -k x", []),
        ("", []),
    ],
)
def test_parse_audit_rule_lines(line: str, expected: list[tuple[str, bool]]) -> None:
    assert _watched(line) == expected


def test_unbalanced_quotes_fall_back_to_words() -> None:
    assert _watched('-w /etc/docker -k "docker') == [("/etc/docker", True)]


@pytest.mark.parametrize(
    ("watch", "path", "covered"),
    [
        (AuditWatch("/etc/docker", True, ""), "/etc/docker", True),
        (AuditWatch("/etc/docker", True, ""), "/etc/docker/daemon.json", True),
        (AuditWatch("/etc/docker", True, ""), "/etc/docker-old", False),
        (AuditWatch("/etc", False, ""), "/etc/docker", False),
        (AuditWatch("/etc/docker", False, ""), "/etc/docker/", True),
        (AuditWatch("/usr/bin", True, ""), "/usr/bin/runc", True),
    ],
)
def test_watch_covers(watch: AuditWatch, path: str, covered: bool) -> None:
    assert watch.covers(path) is covered


def test_find_watch_tries_every_alias() -> None:
    watches = parse_audit_rules(["-w /usr/sbin/runc -k docker", "-w /etc/docker -k docker"])
    found = find_watch(watches, ["/usr/bin/runc", "/usr/sbin/runc"])
    assert found is not None
    assert found.line == "-w /usr/sbin/runc -k docker"
    assert find_watch(watches, ["/usr/bin/containerd"]) is None


@given(st.lists(st.text(max_size=80), max_size=8))
def test_parser_never_raises(lines: list[str]) -> None:
    for w in parse_audit_rules(lines):
        assert w.path.startswith("/")


def _m(mp: str, dev: str = "/dev/sda1") -> MountPoint:
    return MountPoint(mp, dev, "ext4")


def test_covering_mount_is_the_longest_prefix_and_last_wins() -> None:
    mounts = [_m("/"), _m("/var"), _m("/var/lib/docker-old", "/dev/sdc"), _m("/var", "/dev/sdb")]
    found = covering_mount(mounts, "/var/lib/docker")
    assert found is not None
    assert found.device == "/dev/sdb"
    root = covering_mount(mounts, "/srv")
    assert root is not None
    assert root.mountpoint == "/"
    assert covering_mount([_m("/boot")], "/var/lib/docker") is None


def test_host_path_table() -> None:
    assert key("//etc/docker/") == "/etc/docker"
    assert key("/etc/./docker/../docker") == "/etc/docker"
    assert key("relative") == "relative"
    assert audited_paths("1.1.5", data_root="/srv/docker") == ("/srv/docker",)
    assert audited_paths("1.1.3") == ("/usr/bin/dockerd", "/usr/sbin/dockerd")
    assert file_item_paths("3.9") == ()
    assert file_item_paths("3.9", tls={"tlscacert": "/etc/docker/ca.pem"}) == (
        "/etc/docker/ca.pem",
    )
    assert file_item_paths("3.16", socket_path="/run/x.sock") == ("/run/x.sock",)
    paths = collected_paths(
        data_root="/srv/docker", socket_path="/run/x.sock", extra=["/etc/docker/ca.pem"]
    )
    assert len(paths) == len(set(paths))
    for must in (
        "/srv/docker",
        "/run/x.sock",
        "/etc/docker/ca.pem",
        "/etc/docker/certs.d",
        "/var/run/docker.sock",
    ):
        assert must in paths
    assert "/var/lib/docker" not in paths
