"""collect_daemon and read_daemon_json: process discovery choice and daemon.json edge cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seawall.docker.peer import DaemonProcess
from seawall.facts import collect_daemon as mod
from seawall.facts.collect_daemon import MAX_CONFIG_BYTES, collect_daemon, read_daemon_json

SOCK = "unix:///var/run/docker.sock"


def write(root: Path, rel: str, data: bytes) -> None:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_tree_audit_skips_process_and_reads_default_path(tmp_path: Path) -> None:
    write(tmp_path, "/etc/docker/daemon.json", b'{"icc": false, "log-level": "info"}')
    facts = collect_daemon(SOCK, host_root=str(tmp_path))
    assert facts.pid is None
    assert facts.cmdline is None
    assert facts.process_error == (
        f"process discovery skipped: auditing the tree at {tmp_path}, not the live host"
    )
    assert facts.config_path == "/etc/docker/daemon.json"
    assert facts.config == {"icc": False, "log-level": "info"}
    assert facts.config_error is None


def test_missing_file_is_the_default(tmp_path: Path) -> None:
    facts = collect_daemon(SOCK, host_root=str(tmp_path))
    assert (facts.config, facts.config_error) == ({}, None)


def test_explicit_path_wins(tmp_path: Path) -> None:
    write(tmp_path, "/srv/alt.json", b'{"live-restore": true}')
    facts = collect_daemon(SOCK, host_root=str(tmp_path), config_path="/srv/alt.json")
    assert facts.config_path == "/srv/alt.json"
    assert facts.config == {"live-restore": True}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            b'{"icc": false,}',
            "invalid JSON: Expecting property name enclosed in double quotes (line 1, column 15)",
        ),
        (b"[1, 2]", "top level is an array, not an object"),
        (b'"icc"', "top level is a string, not an object"),
        (b"null", "top level is null, not an object"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 text (byte 0)"),
        (b'{"mtu": NaN}', "invalid JSON: NaN is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON: "),
    ],
)
def test_bad_daemon_json(tmp_path: Path, data: bytes, problem: str) -> None:
    write(tmp_path, "/etc/docker/daemon.json", data)
    facts = collect_daemon(SOCK, host_root=str(tmp_path))
    assert facts.config is None
    assert facts.config_error is not None
    assert facts.config_error.startswith("daemon.json at /etc/docker/daemon.json: " + problem)
    assert "\n" not in facts.config_error


def test_huge_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "/etc/docker/daemon.json", b'{"labels": ["' + b"x" * MAX_CONFIG_BYTES + b'"]}')
    config, error = read_daemon_json("/etc/docker/daemon.json", str(tmp_path))
    assert config is None
    assert error == "daemon.json at /etc/docker/daemon.json: larger than 1024 KiB, refused"


def test_empty_and_bom(tmp_path: Path) -> None:
    write(tmp_path, "/a.json", b"  \n")
    write(tmp_path, "/b.json", b'\xef\xbb\xbf{"debug": true}')
    assert read_daemon_json("/a.json", str(tmp_path)) == ({}, None)
    assert read_daemon_json("/b.json", str(tmp_path)) == ({"debug": True}, None)


def test_directory_and_unreadable(tmp_path: Path) -> None:
    (tmp_path / "etc/docker/daemon.json").mkdir(parents=True)
    assert read_daemon_json("/etc/docker/daemon.json", str(tmp_path)) == (
        None,
        "daemon.json at /etc/docker/daemon.json: is a directory",
    )


def test_live_uses_config_file_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alt = tmp_path / "alt.json"
    alt.write_text('{"userland-proxy": false}')
    proc = DaemonProcess(
        pid=77,
        cmdline=("/usr/bin/dockerd", "--config-file", str(alt)),
        exe="/usr/bin/dockerd",
        discovery="SO_PEERCRED",
    )
    monkeypatch.setattr(mod, "find_daemon", lambda endpoint: proc)
    facts = collect_daemon(SOCK)
    assert (facts.pid, facts.discovery) == (77, "SO_PEERCRED")
    assert facts.cmdline == proc.cmdline
    assert facts.config_path == str(alt)
    assert facts.config == {"userland-proxy": False}


def test_live_process_not_found_keeps_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        mod, "find_daemon", lambda endpoint: DaemonProcess(None, None, error="no dockerd here")
    )
    monkeypatch.setattr(mod, "read_daemon_json", lambda path, root: ({}, None))
    facts = collect_daemon(SOCK)
    assert (facts.pid, facts.process_error, facts.config_path) == (
        None,
        "no dockerd here",
        "/etc/docker/daemon.json",
    )


def test_remote_endpoint_does_not_read_local_daemon_json(tmp_path: Path) -> None:
    facts = collect_daemon("tcp://10.9.9.9:2376")
    assert facts.process_error == "remote endpoint: daemon process not visible from this host"
    assert facts.config is None
    assert facts.config_path == ""
    assert facts.config_error == (
        "daemon.json not read: tcp://10.9.9.9:2376 is not on this host "
        "(name its file with --daemon-config)"
    )
    alt = tmp_path / "remote.json"
    alt.write_text("{}")
    assert collect_daemon("tcp://10.9.9.9:2376", config_path=str(alt)).config == {}


@pytest.mark.docker
def test_live_daemon() -> None:
    facts = collect_daemon(SOCK)
    assert facts.pid == int(Path("/var/run/docker.pid").read_text().strip())
    assert facts.cmdline is not None
    assert os.path.basename(facts.cmdline[0]) == "dockerd"
    assert facts.config is not None or facts.config_error
