"""collect_host on prepared host roots (tmp trees), hostile ones, and on this machine's real ``/``."""

from __future__ import annotations

import errno
import grp
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from seawall.facts import HostFacts, hostfs
from seawall.facts import collect_host as collector
from seawall.facts.collect_host import collect_host
from seawall.facts.host_paths import CERTS_DIR, collected_paths
from seawall.model.serde import from_jsonable, to_jsonable

PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/bash
bob:x:1001:998:Bob:/home/bob:/bin/bash
"""
GROUP = """root:x:0:
adm:x:4:alice
alice:x:1000:
docker:x:998:alice,root
"""
FSTAB = """# <file system> <mount point> <type> <options> <dump> <pass>
UUID=0a3b7c9e-1111-4a2b-9c1d-5e6f7a8b9c0d / ext4 errors=remount-ro 0 1
/dev/mapper/vg0-docker /var/lib/docker xfs defaults,nodev 0 2
/swapfile none swap sw 0 0
/srv/my\\040data /mnt/data none bind 0 0
"""
AUDIT_RULES = """## generated
-D
-b 8192
-w /usr/bin/dockerd -p wa -k docker
"""
DOCKER_RULES = """# CIS 1.1.x
-w /etc/docker -p wa -k docker
-a always,exit -F path=/usr/bin/runc -F perm=wa -k docker
"""


def _write(root: Path, rel: str, text: str, mode: int = 0o644) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    p.chmod(mode)
    return p


@pytest.fixture
def host_root(tmp_path: Path) -> Iterator[Path]:
    """A small Debian-like host: merged /usr, /var/run -> /run, a live unix socket."""
    root = tmp_path / "host"
    _write(root, "etc/passwd", PASSWD)
    _write(root, "etc/group", GROUP)
    _write(root, "etc/fstab", FSTAB)
    _write(
        root,
        "etc/os-release",
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
    )
    _write(root, "etc/audit/audit.rules", AUDIT_RULES, 0o640)
    _write(root, "etc/audit/rules.d/docker.rules", DOCKER_RULES, 0o640)
    _write(root, "etc/audit/rules.d/README", "-w /ignored -k x\n")
    _write(root, "etc/docker/daemon.json", '{"icc": false}\n', 0o664)
    os.chown(root / "etc/docker/daemon.json", 1000, 998)
    _write(root, "etc/default/docker", "DOCKER_OPTS=\n")
    _write(root, "usr/lib/systemd/system/docker.service", "[Service]\n")
    _write(root, "usr/bin/runc", "binary", 0o755)
    (root / "lib").symlink_to("usr/lib")
    reg = "etc/docker/certs.d/registry.example.com:5000"
    _write(root, f"{reg}/ca.crt", "cert", 0o444)
    _write(root, f"{reg}/client.key", "key", 0o400)
    (root / "run").mkdir()
    (root / "var").mkdir()
    (root / "var/run").symlink_to("../run")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(root / "run/docker.sock"))
    os.chmod(root / "run/docker.sock", 0o660)
    try:
        yield root
    finally:
        sock.close()


def test_files_are_keyed_by_host_path_with_names_from_the_root(host_root: Path) -> None:
    facts = collect_host(str(host_root), socket_path="/var/run/docker.sock")
    assert not facts.live
    dj = facts.files["/etc/docker/daemon.json"]
    assert (dj.exists, dj.kind, dj.mode, dj.uid, dj.gid) == (True, "file", 0o664, 1000, 998)
    # Names come from the root's passwd/group, not from this machine's.
    assert (dj.owner, dj.group) == ("alice", "docker")
    assert facts.files["/etc/docker"].kind == "dir"
    assert facts.files["/etc/sysconfig/docker"].exists is False
    assert set(collected_paths(socket_path="/var/run/docker.sock")) <= set(facts.files)


def test_symlinks_resolve_inside_the_root(host_root: Path) -> None:
    facts = collect_host(str(host_root))
    unit = facts.files["/lib/systemd/system/docker.service"]
    assert unit.exists
    assert unit.resolved == "/usr/lib/systemd/system/docker.service"
    assert facts.files["/usr/lib/systemd/system/docker.service"].resolved is None
    sock = facts.files["/var/run/docker.sock"]
    assert (sock.kind, sock.mode, sock.resolved) == ("socket", 0o660, "/run/docker.sock")


def test_symlink_escaping_the_root_is_never_followed(tmp_path: Path, host_root: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside, "secret.json", "{}", 0o600)
    # Absolute and relative escapes: both must stay inside the root (chroot semantics).
    (host_root / "etc/containerd").mkdir()
    (host_root / "etc/containerd/config.toml").symlink_to(str(outside / "secret.json"))
    (host_root / "etc/sysconfig").mkdir()
    (host_root / "etc/sysconfig/docker").symlink_to(
        "../../../../../../../../../outside/secret.json"
    )
    facts = collect_host(str(host_root))
    absolute = facts.files["/etc/containerd/config.toml"]
    assert absolute.exists is False
    assert absolute.kind == "symlink"
    assert absolute.resolved == str(outside / "secret.json")
    relative = facts.files["/etc/sysconfig/docker"]
    assert relative.exists is False
    assert relative.resolved == "/outside/secret.json"
    # The same target inside the root is found there (re-rooted, not the real /outside).
    _write(host_root, "outside/secret.json", "{}", 0o640)
    again = collect_host(str(host_root)).files["/etc/sysconfig/docker"]
    assert (again.exists, again.mode) == (True, 0o640)


def test_escaping_cert_symlink_and_symlinked_dirs_in_certs_d(
    tmp_path: Path, host_root: Path
) -> None:
    _write(tmp_path, "elsewhere/ca.crt", "x", 0o666)
    certs = host_root / "etc/docker/certs.d"
    (certs / "evil.crt").symlink_to(str(tmp_path / "elsewhere/ca.crt"))
    (certs / "loop").symlink_to(".")  # never descended into
    facts = collect_host(str(host_root))
    below = {p for p in facts.files if p.startswith(CERTS_DIR + "/")}
    assert below == {
        f"{CERTS_DIR}/evil.crt",
        f"{CERTS_DIR}/loop",
        f"{CERTS_DIR}/registry.example.com:5000",
        f"{CERTS_DIR}/registry.example.com:5000/ca.crt",
        f"{CERTS_DIR}/registry.example.com:5000/client.key",
    }
    assert facts.files[f"{CERTS_DIR}/evil.crt"].exists is False
    assert facts.files[f"{CERTS_DIR}/registry.example.com:5000/client.key"].mode == 0o400
    assert "certs" not in facts.errors


def test_symlink_loop_is_an_error_not_a_hang(host_root: Path) -> None:
    (host_root / "etc/default/docker").unlink()
    (host_root / "etc/default/docker").symlink_to("docker")
    st = collect_host(str(host_root)).files["/etc/default/docker"]
    assert st.error is not None
    assert "symbolic links" in st.error


def test_audit_rules_from_the_rules_files(host_root: Path) -> None:
    facts = collect_host(str(host_root))
    assert facts.audit_rules == (
        "-D",
        "-b 8192",
        "-w /usr/bin/dockerd -p wa -k docker",
        "-w /etc/docker -p wa -k docker",
        "-a always,exit -F path=/usr/bin/runc -F perm=wa -k docker",
    )
    assert facts.audit_source == "/etc/audit/audit.rules, /etc/audit/rules.d/docker.rules"


def test_mounts_groups_os_release_from_the_root(host_root: Path) -> None:
    facts = collect_host(str(host_root))
    assert facts.mounts is not None
    assert [(m.mountpoint, m.device, m.fstype) for m in facts.mounts] == [
        ("/", "UUID=0a3b7c9e-1111-4a2b-9c1d-5e6f7a8b9c0d", "ext4"),
        ("/var/lib/docker", "/dev/mapper/vg0-docker", "xfs"),
        ("/mnt/data", "/srv/my data", "none"),
    ]
    assert facts.mounts[2].options == "bind"
    # Explicit members plus bob, whose primary group is docker.
    assert facts.docker_group_members == ("alice", "bob", "root")
    assert facts.docker_gid == 998
    assert facts.os_release["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)"
    assert facts.kernel is None
    assert "kernel" in facts.errors


def test_os_release_fallback_and_no_docker_group(host_root: Path) -> None:
    (host_root / "etc/os-release").unlink()
    _write(host_root, "usr/lib/os-release", "ID=alpine\n")
    _write(host_root, "etc/group", "root:x:0:\n")
    facts = collect_host(str(host_root))
    assert facts.os_release == {"ID": "alpine"}
    assert facts.docker_group_members == ()
    assert facts.docker_gid is None


def test_root_without_etc(tmp_path: Path) -> None:
    facts = collect_host(str(tmp_path))
    assert all(not st.exists and st.error is None for st in facts.files.values())
    assert facts.docker_group_members is None
    assert "groups" in facts.errors
    assert facts.mounts is None
    assert "/etc/fstab" in facts.errors["mounts"]
    assert facts.audit_rules == ()
    assert facts.audit_source.startswith("no audit rules files")
    assert facts.os_release == {}


def test_root_that_does_not_exist(tmp_path: Path) -> None:
    facts = collect_host(str(tmp_path / "missing"), extra_paths=["/etc/docker/tls/key.pem"])
    assert "root" in facts.errors
    assert facts.files["/etc/docker/tls/key.pem"].error is not None
    assert facts.audit_rules is None
    assert facts.mounts is None


def test_extra_paths_data_root_and_socket(host_root: Path) -> None:
    _write(host_root, "srv/tls/key.pem", "k", 0o400)
    facts = collect_host(
        str(host_root),
        extra_paths=["/srv/tls/key.pem", "relative/key.pem", "/srv/tls/../tls/key.pem"],
        data_root="/srv/docker",
        socket_path="/run/docker.sock",
    )
    assert facts.files["/srv/tls/key.pem"].mode == 0o400
    assert facts.files["relative/key.pem"].error == "not an absolute path"
    assert facts.data_root == "/srv/docker"
    assert facts.files["/srv/docker"].exists is False
    assert facts.files["/run/docker.sock"].kind == "socket"


def test_non_text_and_huge_files_are_refused(
    host_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (host_root / "etc/fstab").unlink()
    os.mkfifo(host_root / "etc/fstab")  # a FIFO must not hang the collector
    monkeypatch.setattr(hostfs, "MAX_TEXT_BYTES", 10)
    facts = collect_host(str(host_root))
    assert facts.mounts is None
    assert "not a regular file" in facts.errors["mounts"]
    assert facts.docker_group_members is None
    assert "larger than" in facts.errors["groups"]


def _deny(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    # Running as root, permission checks do not apply to real files: simulate EACCES.
    real = os.lstat

    def lstat(path: str | os.PathLike[str]) -> os.stat_result:
        if os.fspath(path).endswith(suffix):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "lstat", lstat)


def test_permission_denied_on_a_file(host_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "/etc/docker/daemon.json")
    st = collect_host(str(host_root)).files["/etc/docker/daemon.json"]
    assert st.error == "permission denied"
    assert st.uid is None


def test_permission_denied_on_audit_rules(host_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "/etc/audit/rules.d")
    facts = collect_host(str(host_root))
    assert facts.audit_rules is None
    assert facts.errors["audit_rules"] == "cannot list /etc/audit/rules.d: permission denied"


def test_live_auditctl_failure_falls_back_to_files(
    host_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collector, "_auditctl", lambda: (None, "auditctl not found"))
    lines, source = collector._audit_rules(str(host_root), True, {})
    assert lines is not None
    assert "-w /etc/docker -p wa -k docker" in lines
    assert source.endswith("(auditctl not found)")


def test_host_facts_round_trip_through_json(host_root: Path) -> None:
    facts = collect_host(str(host_root))
    assert from_jsonable(HostFacts, to_jsonable(facts)) == facts


def test_real_root_is_sane() -> None:
    """This machine's own ``/`` (docker.io installed; auditd may be)."""
    facts = collect_host("/", socket_path="/var/run/docker.sock")
    assert facts.live
    assert facts.kernel == os.uname().release
    for path, st in facts.files.items():
        if st.error is None:
            assert st.exists == os.path.exists(path), path
        if st.exists:
            assert st.mode == stat.S_IMODE(os.stat(path).st_mode), path
            assert st.uid == os.stat(path).st_uid, path
    assert facts.mounts is not None
    assert any(m.mountpoint == "/" for m in facts.mounts)
    assert facts.audit_source
    assert facts.audit_rules is not None or "audit_rules" in facts.errors
    try:
        gid: int | None = grp.getgrnam("docker").gr_gid
    except KeyError:
        gid = None
    assert facts.docker_gid == gid
    assert facts.docker_group_members is not None
    if os.path.exists("/var/run/docker.sock"):
        assert facts.files["/var/run/docker.sock"].kind == "socket"
    assert "ID" in facts.os_release
